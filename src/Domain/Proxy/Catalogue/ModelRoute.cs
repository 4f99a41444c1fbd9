namespace CliProxy.Domain.Proxy.Catalogue;

/// <summary>One way to serve a listed model: the credential, and the model name it is asked for upstream (prefix stripped, aliases applied).</summary>
/// <param name="Credential">The credential.</param>
/// <param name="UpstreamModel">The upstream model name (without thinking suffix).</param>
public sealed record ModelRoute(UpstreamCredential Credential, string UpstreamModel);

/// <summary>A model as the listings show it.</summary>
/// <param name="Id">The name clients ask for (alias and prefix included).</param>
/// <param name="OwnedBy">Owner shown by <c>GET /v1/models</c> (the catalog's <c>owned_by</c>, else the provider).</param>
/// <param name="DisplayName">Display name (the catalog's, else the id).</param>
/// <param name="Created">Unix seconds of the catalog's <c>created</c>, else 0.</param>
public sealed record ListedModel(string Id, string OwnedBy, string DisplayName, long Created);
