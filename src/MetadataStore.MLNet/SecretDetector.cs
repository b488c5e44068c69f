using System.Text.RegularExpressions;

namespace MetadataStore.MLNet;

/// <summary>
/// Decides whether an environment variable may hold a secret, from its name or its value. It errs on the side of
/// refusing: a value withheld by mistake costs a missing property, a secret stored by mistake cannot be taken back.
/// </summary>
internal static partial class SecretDetector
{
    /// <summary>True when the name or the value looks like a secret.</summary>
    public static bool IsSecret(string name, string value) => SecretName().IsMatch(name) || LooksLikeSecret(value);

    /// <summary>True for connection strings with credentials, known token formats and long random-looking strings.</summary>
    public static bool LooksLikeSecret(string value) =>
        SecretAssignment().IsMatch(value) || TokenPrefix().IsMatch(value) || UrlCredentials().IsMatch(value) || HighEntropy(value);

    // Long runs without spaces whose characters are spread like random data: keys, tokens, hashes.
    private static bool HighEntropy(string value)
    {
        foreach (var word in value.Split([' ', ';', ',', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length < 20 || word.Contains('/', StringComparison.Ordinal) || word.Contains('\\', StringComparison.Ordinal))
            {
                continue;
            }

            // Random tokens mix digits and letters; words of a name or a sentence rarely do, and spread less.
            var entropy = Entropy(word);
            var mixed = word.Any(char.IsAsciiDigit) && word.Any(char.IsAsciiLetter);
            if ((mixed && entropy >= 3.5) || entropy >= 4.2)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    private static double Entropy(string word)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in word)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        return -counts.Values.Sum(n => (double)n / word.Length * Math.Log2((double)n / word.Length));
    }

    [GeneratedRegex("pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|account[_-]?key|credential|connection[_-]?string|conn[_-]?str|auth|signature|sas|cookie|session", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(password|pwd|passwd|accountkey|sharedaccesskey|sharedaccesssignature|secret|token|apikey|api_key|access_key|client_secret|sig)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"(^|[^A-Za-z0-9])(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|sk-|sk_live_|rk_live_|xox[abprs]-|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{20}|eyJ[A-Za-z0-9_-]{10,}\.|-----BEGIN)", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPrefix();

    [GeneratedRegex(@"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();
}
