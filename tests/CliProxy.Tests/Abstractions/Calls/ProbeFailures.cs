namespace CliProxy.Tests.Abstractions.Calls;

/// <summary>The failures of grain calls the resend tests use, by name (a grain throws them by name).</summary>
public static class ProbeFailures
{
    /// <summary>A fault of the grain itself (not transient).</summary>
    public const string Fault = "fault";

    /// <summary>The transient failures seen in the multi-process cluster tests, and whether each certainly did not run.</summary>
    public static IReadOnlyList<(string Name, bool Undelivered)> Verdicts { get; } =
    [
        // A silo refused the message unprocessed (the target is known dead, or it stopped accepting messages).
        ("refused by a silo", true),
        // A silo that stops gracefully refuses to place a grain (its placement service has stopped);
        // the grain is placed on another silo when the request is sent again.
        ("stopping silo", true),
        // The request may have run: its silo died or this process stops while it was on its way.
        ("target died", false),
        ("own host stops", false),
        ("timeout", false),
    ];

    /// <summary>The exception named <paramref name="name"/>, with the message Orleans gives it.</summary>
    public static Exception Create(string name) => name switch
    {
        "refused by a silo" => new SiloUnavailableException(),
        "stopping silo" => new SiloUnavailableException("Silo 'S127.0.0.1:34519:155533481' is shutting down."),
        "target died" => new SiloUnavailableException("The target silo became unavailable for message: Request [...]"),
        "own host stops" => new SiloUnavailableException("The local Orleans host is shutting down and can no longer process the request: Request [...]."),
        "timeout" => new TimeoutException("Response did not arrive on time in 00:00:10"),
        Fault => new InvalidOperationException("the grain failed"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
