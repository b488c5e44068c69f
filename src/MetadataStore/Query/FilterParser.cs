using System.Globalization;
using System.Text;

namespace MetadataStore.Query;

/// <summary>
/// A hand-written lexer and recursive-descent parser for MLMD's filter query language. Precedence, lowest first:
/// OR, AND, NOT, comparison (= != &lt;&gt; &lt; &lt;= &gt; &gt;= [NOT] IN, [NOT] LIKE, IS [NOT] NULL; not chained),
/// + and -, * and /, unary minus. It runs in time linear in the input and refuses input that nests too deeply,
/// so no query can exhaust the stack.
/// </summary>
internal sealed class FilterParser
{
    /// <summary>The longest query accepted, in characters.</summary>
    public const int MaxLength = 20_000;

    /// <summary>The deepest nesting of parentheses, NOT and unary minus accepted.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The largest number of syntax nodes accepted: each field, literal, comparison, arithmetic operator, AND, OR and NOT
    /// is one, so <c>name = 'a'</c> is three and each further <c>AND name = 'b'</c> adds four (about 500 such conditions).
    /// </summary>
    public const int MaxNodes = 2_000;

    /// <summary>How the node limit reads in an error message.</summary>
    public static readonly string MaxNodesText = string.Create(
        CultureInfo.InvariantCulture,
        $"{MaxNodes} syntax nodes (each field, literal, operator, AND, OR and NOT counts one: a condition such as name = 'a' is three, joined by AND four, so about {MaxNodes / 4} conditions)");

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;
    private int _nodes;

    private FilterParser(string text, List<Token> tokens)
    {
        _text = text;
        _tokens = tokens;
    }

    /// <summary>Parses a filter query; throws InvalidArgument on any syntax error.</summary>
    public static FilterSyntax Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw FilterErrors.Create(0, string.Create(CultureInfo.InvariantCulture, $"the query is longer than {MaxLength} characters."));
        }

        var parser = new FilterParser(text, Lex(text));
        if (parser.Peek.Kind == TokenKind.End)
        {
            throw FilterErrors.Syntax(1, "the query is empty; expected a boolean expression.");
        }

        FilterSyntax result = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw FilterErrors.Syntax(parser.Peek.Position, $"expected AND, OR or the end of the query, found {parser.Describe(parser.Peek)}.");
        }

        return result;
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private bool AcceptKeyword(string keyword)
    {
        if (Peek.Kind == TokenKind.Keyword && Peek.Text == keyword)
        {
            _index++;
            return true;
        }

        return false;
    }

    private bool AcceptSymbol(string symbol)
    {
        if (Peek.Kind == TokenKind.Symbol && Peek.Text == symbol)
        {
            _index++;
            return true;
        }

        return false;
    }

    private T Count<T>(T node)
        where T : FilterSyntax
    {
        if (++_nodes > MaxNodes)
        {
            throw FilterErrors.Create(node.Position, string.Create(CultureInfo.InvariantCulture, $"the query has more than {MaxNodesText}."));
        }

        return node;
    }

    private void Enter(int position)
    {
        if (++_depth > MaxDepth)
        {
            throw FilterErrors.Create(position, string.Create(CultureInfo.InvariantCulture, $"the query nests deeper than {MaxDepth} levels."));
        }
    }

    private FilterSyntax ParseOr()
    {
        FilterSyntax left = ParseAnd();
        while (Peek.Kind == TokenKind.Keyword && Peek.Text == "OR")
        {
            int position = Next().Position;
            left = Count(new BinarySyntax(BinaryOp.Or, left, ParseAnd(), position));
        }

        return left;
    }

    private FilterSyntax ParseAnd()
    {
        FilterSyntax left = ParseNot();
        while (Peek.Kind == TokenKind.Keyword && Peek.Text == "AND")
        {
            int position = Next().Position;
            left = Count(new BinarySyntax(BinaryOp.And, left, ParseNot(), position));
        }

        return left;
    }

    private FilterSyntax ParseNot()
    {
        if (Peek.Kind == TokenKind.Keyword && Peek.Text == "NOT")
        {
            int position = Next().Position;
            Enter(position);
            FilterSyntax operand = ParseNot();
            _depth--;
            return Count(new UnarySyntax(UnaryOp.Not, operand, position));
        }

        return ParseComparison();
    }

    private FilterSyntax ParseComparison()
    {
        FilterSyntax left = ParseAdditive();
        Token token = Peek;
        if (token.Kind == TokenKind.Symbol && ComparisonOf(token.Text) is BinaryOp op)
        {
            _index++;
            FilterSyntax right = ParseAdditive();
            RefuseChainedComparison();
            return Count(new BinarySyntax(op, left, right, token.Position));
        }

        if (token.Kind != TokenKind.Keyword)
        {
            return left;
        }

        int position = token.Position;
        if (AcceptKeyword("IS"))
        {
            bool negated = AcceptKeyword("NOT");
            if (!AcceptKeyword("NULL"))
            {
                throw FilterErrors.Syntax(Peek.Position, $"expected NULL or NOT NULL after IS, found {Describe(Peek)}.");
            }

            RefuseChainedComparison();
            return Count(new IsNullSyntax(left, negated, position));
        }

        bool not = false;
        if (token.Text == "NOT" && _tokens[_index + 1].Kind == TokenKind.Keyword && _tokens[_index + 1].Text is "IN" or "LIKE")
        {
            _index++;
            not = true;
        }

        if (AcceptKeyword("IN"))
        {
            if (!AcceptSymbol("("))
            {
                throw FilterErrors.Syntax(Peek.Position, $"expected a list of values enclosed in parentheses after IN, found {Describe(Peek)}.");
            }

            var values = new List<FilterSyntax>();
            do
            {
                values.Add(ParseAdditive());
            }
            while (AcceptSymbol(","));

            Expect(")", "',' or ')' in the IN list");
            RefuseChainedComparison();
            return Count(new InSyntax(left, values, not, position));
        }

        if (AcceptKeyword("LIKE"))
        {
            FilterSyntax pattern = ParseAdditive();
            RefuseChainedComparison();
            return Count(new LikeSyntax(left, pattern, not, position));
        }

        return left;
    }

    private void RefuseChainedComparison()
    {
        Token token = Peek;
        if ((token.Kind == TokenKind.Symbol && ComparisonOf(token.Text) is not null)
            || (token.Kind == TokenKind.Keyword && token.Text is "IS" or "IN" or "LIKE"))
        {
            throw FilterErrors.Syntax(token.Position, $"comparisons cannot be chained; add parentheses or AND before {Describe(token)}.");
        }
    }

    private static BinaryOp? ComparisonOf(string symbol) => symbol switch
    {
        "=" => BinaryOp.Equal,
        "!=" or "<>" => BinaryOp.NotEqual,
        "<" => BinaryOp.Less,
        "<=" => BinaryOp.LessOrEqual,
        ">" => BinaryOp.Greater,
        ">=" => BinaryOp.GreaterOrEqual,
        _ => null,
    };

    private FilterSyntax ParseAdditive()
    {
        FilterSyntax left = ParseMultiplicative();
        while (Peek.Kind == TokenKind.Symbol && Peek.Text is "+" or "-")
        {
            Token token = Next();
            BinaryOp op = token.Text == "+" ? BinaryOp.Add : BinaryOp.Subtract;
            left = Count(new BinarySyntax(op, left, ParseMultiplicative(), token.Position));
        }

        return left;
    }

    private FilterSyntax ParseMultiplicative()
    {
        FilterSyntax left = ParseUnary();
        while (Peek.Kind == TokenKind.Symbol && Peek.Text is "*" or "/")
        {
            Token token = Next();
            BinaryOp op = token.Text == "*" ? BinaryOp.Multiply : BinaryOp.Divide;
            left = Count(new BinarySyntax(op, left, ParseUnary(), token.Position));
        }

        return left;
    }

    private FilterSyntax ParseUnary()
    {
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "-" or "+")
        {
            Token token = Next();
            Token next = Peek;

            // Fold the sign into an adjacent numeric literal so that -9223372036854775808 is representable.
            if (token.Text == "-" && next.Kind is TokenKind.Int or TokenKind.Double && next.Position == token.Position + 1)
            {
                _index++;
                object value = next.Value switch
                {
                    long l => -l,
                    ulong => long.MinValue, // only 2^63 is lexed as ulong
                    double d => -d,
                    _ => next.Value!,
                };
                return Count(new LiteralSyntax(next.Kind == TokenKind.Int ? LiteralKind.Int : LiteralKind.Double, value, token.Position));
            }

            Enter(token.Position);
            FilterSyntax operand = ParseUnary();
            _depth--;
            return token.Text == "+" ? operand : Count(new UnarySyntax(UnaryOp.Negate, operand, token.Position));
        }

        return ParsePrimary();
    }

    private FilterSyntax ParsePrimary()
    {
        Token token = Next();
        switch (token.Kind)
        {
            case TokenKind.Symbol when token.Text == "(":
                Enter(token.Position);
                FilterSyntax inner = ParseOr();
                _depth--;
                Expect(")", "')'");
                return inner;
            case TokenKind.Int when token.Value is ulong:
                throw FilterErrors.Syntax(token.Position, $"the integer {token.Text} is out of range (64-bit).");
            case TokenKind.Int:
                return Count(new LiteralSyntax(LiteralKind.Int, token.Value!, token.Position));
            case TokenKind.Double:
                return Count(new LiteralSyntax(LiteralKind.Double, token.Value!, token.Position));
            case TokenKind.String:
                return Count(new LiteralSyntax(LiteralKind.String, token.Value!, token.Position));
            case TokenKind.Keyword when token.Text is "TRUE" or "FALSE":
                return Count(new LiteralSyntax(LiteralKind.Bool, token.Text == "TRUE", token.Position));
            case TokenKind.Path:
                return Count(new PathSyntax((IReadOnlyList<string>)token.Value!, token.Position));
            default:
                throw FilterErrors.Syntax(token.Position, $"expected a field, a literal or '(', found {Describe(token)}.");
        }
    }

    private void Expect(string symbol, string what)
    {
        if (!AcceptSymbol(symbol))
        {
            throw FilterErrors.Syntax(Peek.Position, $"expected {what}, found {Describe(Peek)}.");
        }
    }

    private string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the query",
        TokenKind.Keyword => token.Text,
        _ => "\"" + Excerpt(token) + "\"",
    };

    private string Excerpt(Token token)
    {
        int start = token.Position - 1;
        int length = Math.Min(token.Length, 40);
        return _text.Substring(start, Math.Min(length, _text.Length - start));
    }

    private enum TokenKind
    {
        End,
        Symbol,
        Keyword,
        Path,
        Int,
        Double,
        String,
    }

    private readonly record struct Token(TokenKind Kind, string Text, object? Value, int Position, int Length);

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "IN", "LIKE", "IS", "NULL", "TRUE", "FALSE",
    };

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, null, text.Length + 1, 0));
                return tokens;
            }

            int start = i;
            char c = text[i];
            if (IsIdentifierStart(c) || c == '`')
            {
                var segments = new List<string> { ReadSegment(text, ref i, first: true) };
                while (i < text.Length && text[i] == '.')
                {
                    i++;
                    segments.Add(ReadSegment(text, ref i, first: false));
                }

                if (segments.Count == 1 && text[start] != '`' && Keywords.Contains(segments[0]))
                {
                    tokens.Add(new Token(TokenKind.Keyword, segments[0].ToUpperInvariant(), null, start + 1, i - start));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Path, segments[0], segments, start + 1, i - start));
                }
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (c is '\'' or '"')
            {
                string value = ReadString(text, ref i);
                tokens.Add(new Token(TokenKind.String, value, value, start + 1, i - start));
            }
            else
            {
                string? symbol = c switch
                {
                    '(' or ')' or ',' or '+' or '-' or '*' or '/' or '=' => c.ToString(),
                    '<' when At(text, i + 1, '=') => "<=",
                    '<' when At(text, i + 1, '>') => "<>",
                    '<' => "<",
                    '>' when At(text, i + 1, '=') => ">=",
                    '>' => ">",
                    '!' when At(text, i + 1, '=') => "!=",
                    _ => null,
                };
                if (symbol is null)
                {
                    throw FilterErrors.Syntax(start + 1, $"unexpected character '{Printable(c)}'.");
                }

                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, null, start + 1, symbol.Length));
            }
        }
    }

    private static bool At(string text, int i, char c) => i < text.Length && text[i] == c;

    private static string Printable(char c) => char.IsControl(c) || char.IsSurrogate(c)
        ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)
        : c.ToString();

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string ReadSegment(string text, ref int i, bool first)
    {
        int start = i;
        if (i < text.Length && text[i] == '`')
        {
            int end = text.IndexOf('`', i + 1);
            if (end < 0)
            {
                throw FilterErrors.Syntax(start + 1, "unclosed back-quoted name; expected a closing '`'.");
            }

            if (end == i + 1)
            {
                throw FilterErrors.Syntax(start + 1, "a back-quoted name cannot be empty.");
            }

            i = end + 1;
            return text.Substring(start + 1, end - start - 1);
        }

        // After a dot a name may start with a digit: properties.0.int_value, contexts_0.
        while (i < text.Length && (first ? (i == start ? IsIdentifierStart(text[i]) : IsIdentifierPart(text[i])) : IsIdentifierPart(text[i])))
        {
            i++;
        }

        if (i == start)
        {
            throw FilterErrors.Syntax(start + 1, i < text.Length
                ? $"expected a name after '.', found '{Printable(text[i])}'; names with other characters must be back-quoted."
                : "expected a name after '.', found the end of the query.");
        }

        return text[start..i];
    }

    private static Token ReadNumber(string text, ref int i)
    {
        int start = i;
        bool isDouble = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            isDouble = true;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            int mark = i;
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                isDouble = true;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i = mark;
            }
        }

        if (i < text.Length && IsIdentifierPart(text[i]))
        {
            throw FilterErrors.Syntax(i + 1, $"unexpected character '{text[i]}' after the number.");
        }

        string literal = text[start..i];
        if (isDouble)
        {
            double value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value))
            {
                throw FilterErrors.Syntax(start + 1, $"the number {literal} is out of range.");
            }

            return new Token(TokenKind.Double, literal, value, start + 1, i - start);
        }

        if (long.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out long integer))
        {
            return new Token(TokenKind.Int, literal, integer, start + 1, i - start);
        }

        // 9223372036854775808 is only valid negated; the parser folds the sign.
        if (ulong.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out ulong big) && big == 9223372036854775808UL
            && start > 0 && text[start - 1] == '-')
        {
            return new Token(TokenKind.Int, literal, big, start + 1, i - start);
        }

        throw FilterErrors.Syntax(start + 1, $"the integer {Truncate(literal)} is out of range (64-bit).");
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private static string ReadString(string text, ref int i)
    {
        int start = i;
        char quote = text[i++];
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw FilterErrors.Syntax(start + 1, $"unclosed string literal; expected a closing {quote}.");
            }

            char c = text[i++];
            if (c == quote)
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                if (i >= text.Length)
                {
                    throw FilterErrors.Syntax(start + 1, $"unclosed string literal; expected a closing {quote}.");
                }

                char escaped = text[i++];
                value.Append(escaped switch
                {
                    '\\' or '\'' or '"' or '`' => escaped,
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => throw FilterErrors.Syntax(i - 1, $"unknown escape sequence '\\{Printable(escaped)}'; use \\\\, \\', \\\", \\n, \\r or \\t."),
                });
                continue;
            }

            value.Append(c);
        }
    }
}
