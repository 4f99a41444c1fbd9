namespace CliProxy.Domain.Proxy.Cooldowns;

/// <summary>
/// What the cooldown rules remember about one credential for one requested model (spec usage §5.4):
/// the block, and the level of the exponential 429 backoff. <see cref="Until"/> may lie in the past: an
/// expired quota block is kept a while (<see cref="CooldownRules.LevelMemory"/>) so that the next 429
/// waits twice as long, as "consecutive 429s" asks.
/// </summary>
/// <param name="Until">When the block ends (eligible again from then).</param>
/// <param name="Quota">Whether the block is a quota cooldown (a 429).</param>
/// <param name="Level">Exponential 429 backoff steps taken so far: the next one waits 1 s × 2^Level (capped).</param>
public sealed record CooldownEntry(DateTimeOffset Until, bool Quota, int Level)
{
    /// <summary>The block in force at <paramref name="now"/>, or null when it has ended.</summary>
    public CooldownBlock? BlockAt(DateTimeOffset now) => Until > now ? new CooldownBlock(Until, Quota) : null;

    /// <summary>Whether a block is in force at <paramref name="now"/>.</summary>
    public bool InForce(DateTimeOffset now) => Until > now;
}
