using System.Text.Json.Nodes;
using CliProxy.Domain.Errors;

namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// A management route group over part of the config document (a scalar setting, a list or a map): what <c>GET</c> answers and how <c>PUT</c>/<c>PATCH</c>/<c>DELETE</c>
/// change the document. Resources are pure: they read a <see cref="IConfigView"/> and return the
/// changes to make; the config grain applies and stores them.
/// </summary>
public abstract class ConfigResource
{
    /// <summary>Route below <c>/v0/management</c>, e.g. <c>/gemini-api-key</c>.</summary>
    public abstract string Route { get; }

    /// <summary>Methods besides GET, in upper case.</summary>
    public abstract IReadOnlyList<string> EditMethods { get; }

    /// <summary>Short description for the OpenAPI document.</summary>
    public abstract string Summary { get; }

    /// <summary>Body of the GET answer.</summary>
    public abstract JsonObject Read(IConfigView config);

    /// <summary>Validates <paramref name="request"/> against <paramref name="config"/> and returns the changes or the refusal.</summary>
    public abstract EditOutcome Edit(IConfigView config, ResourceRequest request);
}

/// <summary>The config as a resource sees it: the typed model and which top-level keys the text has.</summary>
public interface IConfigView
{
    /// <summary>The typed, normalised model. Do not mutate.</summary>
    JsonObject Model { get; }

    /// <summary>True when the text has top-level key <paramref name="key"/> (even with an empty value).</summary>
    bool HasRootKey(string key);
}

/// <summary>One change to the document: set the typed value at a path, or remove the key.</summary>
/// <param name="Path">Keys from the root, e.g. <c>["routing", "strategy"]</c>.</param>
/// <param name="Value">New typed value (ignored when <paramref name="Remove"/>).</param>
/// <param name="Remove">Remove the key instead of setting it.</param>
public sealed record ConfigChange(IReadOnlyList<string> Path, JsonNode? Value, bool Remove = false);

/// <summary>Result of <see cref="ConfigResource.Edit"/>: the changes to store, or the refusal (and no changes).</summary>
/// <param name="Refusal">Why the edit was refused, or null when it was accepted.</param>
/// <param name="Changes">The changes to make (empty when refused, or when the edit changes nothing).</param>
public sealed record EditOutcome(Refusal? Refusal, IReadOnlyList<ConfigChange> Changes)
{
    /// <summary>True when the edit was accepted.</summary>
    public bool IsAccepted => Refusal is null;

    /// <summary>Accept, making <paramref name="changes"/>.</summary>
    public static EditOutcome Ok(params ConfigChange[] changes) => new(null, changes);

    /// <summary>Refuse with <paramref name="refusal"/>.</summary>
    public static EditOutcome Refused(Refusal refusal) => new(refusal, []);

    /// <summary>The reference's generic <see cref="Refusals.InvalidBody"/>.</summary>
    public static EditOutcome InvalidBody { get; } = Refused(Refusals.InvalidBody);
}
