using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace CliProxy.Domain.Usage;

/// <summary>
/// One counted upstream attempt as it is stored, aggregated and exported (spec §1.5, §1.6
/// <c>details[]</c>): already normalised (API identity resolved, model defaulted, tokens normalised,
/// no secret in <see cref="Source"/>). Immutable.
/// </summary>
/// <param name="Api">The <c>apis</c> key: the client key, or <c>"METHOD /route"</c> when none.</param>
/// <param name="Model">The model (<c>unknown</c> when none was known).</param>
/// <param name="Timestamp">When the attempt started, with its offset and original precision.</param>
/// <param name="Source">The credential's label (never an upstream key in clear).</param>
/// <param name="AuthIndex">The credential's <c>auth_index</c>, or <c>""</c>.</param>
/// <param name="Tokens">The normalised token counts.</param>
/// <param name="Failed">Whether the attempt failed.</param>
/// <param name="LatencyMs">Wall time from attempt start to the record, in milliseconds (0 when unknown).</param>
/// <param name="Provider">The executor's provider id (<c>claude</c>, <c>gemini</c>, …; <c>""</c> for imported details).</param>
public sealed record UsageDetail(
    string Api, string Model, UsageTimestamp Timestamp, string Source, string AuthIndex, UsageTokens Tokens, bool Failed, long LatencyMs, string Provider)
{
    /// <summary>
    /// The §1.9 de-duplication key:
    /// <c>api|model|UTC timestamp|source|auth_index|failed|input|output|reasoning|cached|total</c>.
    /// Two details with the same key are the same record: the store keeps and counts one.
    /// </summary>
    public string DedupKey
    {
        get
        {
            for (var size = 256; ; size *= 2)
            {
                var chars = new char[size];
                if (TryWriteDedupKey(chars, out var length)) return new string(chars, 0, length);
            }
        }
    }

    /// <summary>Length of the §1.9 hash (<see cref="DedupHash()"/>): 16 bytes.</summary>
    public const int DedupHashLength = 16;

    /// <summary>
    /// XXH128 of <see cref="DedupKey"/> (UTF-8), 16 bytes: the stores' unique index (computed on each call). Not a
    /// cryptographic hash: it identifies records, nothing depends on it being hard to forge (only management
    /// imports could try), and it costs a few dozen nanoseconds where SHA-256 cost a microsecond per record.
    /// </summary>
    public byte[] DedupHash()
    {
        var hash = new byte[DedupHashLength];
        DedupHash(hash);
        return hash;
    }

    /// <summary>
    /// Writes <see cref="DedupHash()"/> into the first <see cref="DedupHashLength"/> bytes of <paramref name="destination"/>,
    /// without making the key's string: the key is written into a stack buffer (a pooled one when longer) and hashed as UTF-8.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="DedupHashLength"/>.</exception>
    public void DedupHash(Span<byte> destination)
    {
        char[]? rentedChars = null;
        byte[]? rentedBytes = null;
        try
        {
            Span<char> chars = stackalloc char[256];
            int length;
            while (!TryWriteDedupKey(chars, out length))
            {
                if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
                chars = rentedChars = ArrayPool<char>.Shared.Rent(chars.Length * 2);
            }
            var text = chars[..length];
            var most = Encoding.UTF8.GetMaxByteCount(length);
            var bytes = most <= 1024 ? stackalloc byte[1024] : (rentedBytes = ArrayPool<byte>.Shared.Rent(most));
            var count = Encoding.UTF8.GetBytes(text, bytes);
            XxHash128.Hash(bytes[..count], destination);
        }
        finally
        {
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
            if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
        }
    }

    /// <summary>Writes <see cref="DedupKey"/> into <paramref name="destination"/>; false when it does not fit. The hash is stored: this text must never change.</summary>
    private bool TryWriteDedupKey(Span<char> destination, out int length) => destination.TryWrite(
        $"{Api}|{Model}|{Timestamp.UtcKey}|{Source}|{AuthIndex}|{(Failed ? "true" : "false")}|{Tokens.Input}|{Tokens.Output}|{Tokens.Reasoning}|{Tokens.Cached}|{Tokens.Total}",
        out length);
}
