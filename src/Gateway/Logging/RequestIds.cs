using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// Request ids of this node (spec §2.3): eight lowercase hex characters, as the reference's log lines
/// and the Management Center's log viewer expect. Every request gets one, and it is returned in
/// <see cref="RequestIdHeader"/> (the reference gave ids to AI requests only, used a small counter for the
/// others, and never told the client: spec §7 defect 14). The ids of one process never repeat before
/// 2³² requests: they are a Weyl sequence (a random start plus n times a random odd step, modulo 2³²),
/// not independent random numbers, which collide after some 65,000 requests.
/// </summary>
public sealed class RequestIds
{
    /// <summary>Answer header with the request's id.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Answer header with the name of the node that answered (<see cref="LogLocation.NodeName"/>).</summary>
    public const string NodeHeader = "X-CPA-NODE";

    private readonly uint _step;
    private uint _next;

    /// <summary>A sequence with a random start and step.</summary>
    public RequestIds()
    {
        Span<byte> seed = stackalloc byte[8];
        RandomNumberGenerator.Fill(seed);
        _next = BinaryPrimitives.ReadUInt32LittleEndian(seed);
        // An odd step visits every 32-bit value once before repeating; the top bit keeps neighbours apart.
        _step = BinaryPrimitives.ReadUInt32LittleEndian(seed[4..]) | 0x8000_0001u;
    }

    /// <summary>The next id.</summary>
    public string Next() => Interlocked.Add(ref _next, _step).ToString("x8");
}

/// <summary>The logging scope of one request: entries made within it carry <paramref name="RequestId"/>.</summary>
/// <param name="RequestId">The request's id.</param>
public sealed record RequestIdScope(string RequestId)
{
    /// <inheritdoc />
    public override string ToString() => $"RequestId:{RequestId}";
}
