using System.Globalization;
using System.Text;

namespace MetadataStore.Query;

/// <summary>
/// Prints a syntax tree as canonical filter text: fully parenthesised, keywords upper case, strings in single quotes.
/// Parsing the output gives the same tree (positions aside); the page-token check hashes this text.
/// </summary>
internal static class FilterPrinter
{
    public static string Print(FilterSyntax syntax)
    {
        var sb = new StringBuilder();
        Write(syntax, sb);
        return sb.ToString();
    }

    private static void Write(FilterSyntax syntax, StringBuilder sb)
    {
        switch (syntax)
        {
            case LiteralSyntax literal:
                WriteLiteral(literal, sb);
                break;
            case PathSyntax path:
                for (int i = 0; i < path.Segments.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append('.');
                    }

                    WriteSegment(path.Segments[i], i == 0, sb);
                }

                break;
            case UnarySyntax unary:
                // "- x" with a space stays a negation when parsed again (an adjacent sign folds into a literal).
                sb.Append(unary.Op == UnaryOp.Not ? "(NOT " : "(- ");
                Write(unary.Operand, sb);
                sb.Append(')');
                break;
            case BinarySyntax binary:
                sb.Append('(');
                Write(binary.Left, sb);
                sb.Append(' ').Append(binary.Op.Symbol()).Append(' ');
                Write(binary.Right, sb);
                sb.Append(')');
                break;
            case InSyntax @in:
                sb.Append('(');
                Write(@in.Operand, sb);
                sb.Append(@in.Negated ? " NOT IN (" : " IN (");
                for (int i = 0; i < @in.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Write(@in.Values[i], sb);
                }

                sb.Append("))");
                break;
            case LikeSyntax like:
                sb.Append('(');
                Write(like.Operand, sb);
                sb.Append(like.Negated ? " NOT LIKE " : " LIKE ");
                Write(like.Pattern, sb);
                sb.Append(')');
                break;
            case IsNullSyntax isNull:
                sb.Append('(');
                Write(isNull.Operand, sb);
                sb.Append(isNull.Negated ? " IS NOT NULL)" : " IS NULL)");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(syntax));
        }
    }

    private static void WriteLiteral(LiteralSyntax literal, StringBuilder sb)
    {
        switch (literal.Value)
        {
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                string text = d.ToString("R", CultureInfo.InvariantCulture);
                sb.Append(text);
                if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
                {
                    sb.Append(".0");
                }

                break;
            case bool b:
                sb.Append(b ? "TRUE" : "FALSE");
                break;
            case string s:
                sb.Append('\'');
                foreach (char c in s)
                {
                    sb.Append(c switch
                    {
                        '\\' => "\\\\",
                        '\'' => "\\'",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        _ => c.ToString(),
                    });
                }

                sb.Append('\'');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(literal));
        }
    }

    private static void WriteSegment(string segment, bool first, StringBuilder sb)
    {
        bool plain = segment.Length > 0
            && (!first || char.IsAsciiLetter(segment[0]) || segment[0] == '_')
            && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            && !(first && IsKeyword(segment));
        if (plain)
        {
            sb.Append(segment);
        }
        else
        {
            sb.Append('`').Append(segment).Append('`');
        }
    }

    private static bool IsKeyword(string s) =>
        s.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IN" or "LIKE" or "IS" or "NULL" or "TRUE" or "FALSE";
}
