using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Config.Resources;

namespace CliProxy.Grains.Config;

/// <summary>One queued request to the config grain, answered when it is stored or refused.</summary>
internal abstract record ConfigWork
{
    /// <summary>A route's PUT/PATCH/DELETE.</summary>
    public sealed record Edit(ConfigResource Resource, ConfigRequest Request) : ConfigWork
    {
        /// <summary>What the resource sees of <see cref="Request"/> (its <c>Idempotency-Key</c> stays with the grain).</summary>
        public ResourceRequest ResourceRequest { get; } = new(Request.Method, Request.Body, Request.Query);
    }

    /// <summary>A whole-document replacement (with the request's <c>Idempotency-Key</c>, or null).</summary>
    public sealed record Replace(string Yaml, string? IfMatch, IdempotencyToken? Idempotency = null) : ConfigWork;

    /// <summary>A re-read of the stored document.</summary>
    public sealed record Reload : ConfigWork;
}
