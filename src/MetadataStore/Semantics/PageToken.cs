using System.Buffers.Binary;
using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>
/// The opaque next-page token: a fixed 36-byte keyset cursor (what was listed, how it was ordered and filtered,
/// and the last row's order value and id), base64url-encoded. It never grows with the listing.
/// </summary>
internal readonly record struct PageToken(NodeKind Kind, NodeOrder OrderBy, bool Descending, ulong ScopeHash, ulong FilterHash, PageCursor Cursor)
{
    private const byte FormatVersion = 1;
    private const int Size = 1 + 1 + 1 + 1 + 8 + 8 + 8 + 8;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes[0] = FormatVersion;
        bytes[1] = (byte)Kind;
        bytes[2] = (byte)OrderBy;
        bytes[3] = Descending ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[4..], ScopeHash);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[12..], FilterHash);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[20..], Cursor.Value);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[28..], Cursor.Id);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static PageToken Decode(string token)
    {
        var bytes = new byte[Size];
        var text = token.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != Size || bytes[0] != FormatVersion || bytes[1] > 2 || bytes[2] > 2 || bytes[3] > 1)
        {
            throw Errors.InvalidArgument("The page token is not one this store issued (failed to decode next page token).");
        }

        return new PageToken(
            (NodeKind)bytes[1],
            (NodeOrder)bytes[2],
            bytes[3] == 1,
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(4)),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12)),
            new PageCursor(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(20)), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(28))));
    }

    /// <summary>A stable 64-bit FNV-1a hash, so tokens survive process restarts.</summary>
    public static ulong Hash(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
