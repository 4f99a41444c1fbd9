namespace CliProxy.Domain.Proxy.Cooldowns;

/// <summary>
/// The cooldown a credential gets for a model after one attempt (spec usage §5.4), as a pure function
/// of what is remembered about the pair (<see cref="CooldownEntry"/>, null = nothing) and the outcome.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item>2xx: reset (null).</item>
/// <item>401, 402, 403: 30 min. 404: 12 h (also with <c>disable-cooling</c>, as the spec's table says).</item>
/// <item>429: the upstream's hint if positive, else 1 s, 2 s, 4 s … capped at 30 min, one level per 429; a quota block.</item>
/// <item>408, 500, 502, 503, 504: 1 min.</item>
/// <item>Any other status (also 0, a transport error): no change.</item>
/// </list>
/// <c>disable-cooling</c> turns off the 408/5xx minute and the exponential 429 backoff; a 429 with a hint
/// still cools for the hint. Two rules make reports from several nodes safe to apply in any order:
/// (1) a block in force is never shortened by another failure (the later end wins, with its quota flag);
/// (2) a 429 without a hint that arrives while a quota block is in force changes nothing, so the level
/// grows once per 429 seen after the previous block ended — concurrent attempts that all hit the same
/// 429 (on one node or several) count once. A hint longer than the block in force extends it.
/// </remarks>
public static class CooldownRules
{
    /// <summary>Block after 401, 402 and 403.</summary>
    public static readonly TimeSpan Unauthorized = TimeSpan.FromMinutes(30);

    /// <summary>Block after 404.</summary>
    public static readonly TimeSpan NotFound = TimeSpan.FromHours(12);

    /// <summary>Block after 408, 500, 502, 503 and 504.</summary>
    public static readonly TimeSpan Transient = TimeSpan.FromMinutes(1);

    /// <summary>First step of the exponential 429 backoff.</summary>
    public static readonly TimeSpan QuotaBase = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the exponential 429 backoff.</summary>
    public static readonly TimeSpan QuotaMax = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long an ended block with a backoff level is remembered (the cap): a 429 within that time after
    /// the block ended continues the series, a later one starts again at 1 s. Entries without a level are
    /// forgotten when their block ends.
    /// </summary>
    public static readonly TimeSpan LevelMemory = QuotaMax;

    /// <summary>The state of the pair after <paramref name="outcome"/> at <paramref name="now"/> (null = nothing to remember).</summary>
    public static CooldownEntry? Next(CooldownEntry? current, AttemptOutcome outcome, DateTimeOffset now) =>
        Next(current, outcome.Status, outcome.RetryHint, outcome.DisableCooling, now);

    /// <summary>The state of the pair after an attempt answered <paramref name="status"/> at <paramref name="now"/> (null = nothing to remember).</summary>
    /// <param name="current">What is remembered about the pair, or null.</param>
    /// <param name="status">The upstream's status (0 for a transport error).</param>
    /// <param name="retryHint">The upstream's retry hint; zero or negative counts as none.</param>
    /// <param name="disableCooling">The effective <c>disable-cooling</c>.</param>
    /// <param name="now">The time of the outcome.</param>
    public static CooldownEntry? Next(CooldownEntry? current, int status, TimeSpan? retryHint, bool disableCooling, DateTimeOffset now)
    {
        if (status is >= 200 and < 300) return null;
        return status switch
        {
            401 or 402 or 403 => Block(current, now + Unauthorized, quota: false, current?.Level ?? 0, now),
            404 => Block(current, now + NotFound, quota: false, current?.Level ?? 0, now),
            429 => TooManyRequests(current, retryHint is { } hint && hint > TimeSpan.Zero ? hint : null, disableCooling, now),
            408 or 500 or 502 or 503 or 504 => disableCooling ? current : Block(current, now + Transient, quota: false, current?.Level ?? 0, now),
            _ => current,
        };
    }

    /// <summary>Whether <paramref name="entry"/> can be forgotten at <paramref name="now"/> (see <see cref="LevelMemory"/>).</summary>
    public static bool IsSpent(CooldownEntry entry, DateTimeOffset now) =>
        entry.Level == 0 ? !entry.InForce(now) : entry.Until + LevelMemory <= now;

    /// <summary>The exponential backoff at <paramref name="level"/> and the level after it (it stops growing at the cap).</summary>
    public static (TimeSpan Wait, int NextLevel) Backoff(int level)
    {
        level = Math.Max(level, 0);
        // 2^21 s is far past the cap; clamping the exponent keeps the shift from overflowing.
        var wait = QuotaBase * (1L << Math.Min(level, 21));
        return wait >= QuotaMax ? (QuotaMax, level) : (wait, level + 1);
    }

    private static CooldownEntry? TooManyRequests(CooldownEntry? current, TimeSpan? hint, bool disableCooling, DateTimeOffset now)
    {
        var level = current?.Level ?? 0;
        if (hint is { } wait) return Block(current, now + wait, quota: true, level, now);
        if (disableCooling) return current;
        if (current is { Quota: true } && current.InForce(now)) return current; // the same 429, seen by a concurrent attempt
        var (backoff, next) = Backoff(level);
        return Block(current, now + backoff, quota: true, next, now);
    }

    /// <summary>A block until <paramref name="until"/>, unless the block in force ends later (rule 1).</summary>
    private static CooldownEntry Block(CooldownEntry? current, DateTimeOffset until, bool quota, int level, DateTimeOffset now)
    {
        if (current is null || !current.InForce(now) || until > current.Until) return new CooldownEntry(until, quota, level);
        var merged = new CooldownEntry(current.Until, until == current.Until ? current.Quota || quota : current.Quota, level);
        return merged == current ? current : merged;
    }
}
