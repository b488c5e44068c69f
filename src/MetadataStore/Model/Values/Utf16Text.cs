namespace MetadataStore;

/// <summary>
/// The store keeps only well-formed UTF-16: a lone surrogate cannot be written to UTF-8 storage without being replaced,
/// so two different strings would collide or read back changed.
/// </summary>
internal static class Utf16Text
{
    /// <summary>Whether the text has no unpaired surrogate.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        // Almost every string has no surrogate at all: one vectorised scan answers for it.
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return true;
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws InvalidArgument naming <paramref name="what"/> when the text holds an unpaired surrogate.</summary>
    public static void Require(string? text, string what)
    {
        if (text is not null && !IsValid(text))
        {
            throw Invalid(what, text);
        }
    }

    /// <summary>The error for a string that holds an unpaired surrogate.</summary>
    public static MetadataStoreException Invalid(string what, string text) =>
        new(MetadataErrorCode.InvalidArgument, $"{what} is not valid UTF-16: it holds an unpaired surrogate at index {FirstInvalid(text)}; the store keeps only well-formed text.");

    private static int FirstInvalid(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
