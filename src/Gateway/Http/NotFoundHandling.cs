using Microsoft.AspNetCore.Diagnostics;

namespace CliProxy.Gateway.Http;

/// <summary>
/// Unknown paths and unknown methods on known paths answer <c>404</c> with the plain-text body
/// <c>404 page not found</c>, and a trailing slash on a mapped route redirects to the path without it
/// (301 for GET, 307 otherwise), as the reference's router does.
/// </summary>
public static class NotFoundHandling
{
    /// <summary>The reference router's 404 body.</summary>
    public const string Body = "404 page not found";

    /// <summary>
    /// Adds the trailing-slash redirect; goes after routing (<see cref="CaseSensitiveRouting"/>). The
    /// endpoint table decides: ASP.NET's router ignores a trailing slash, so a request ending in
    /// <c>/</c> that routing matched to an endpoint of its method (any mapped route, parameters
    /// included, e.g. <c>/model-definitions/claude/</c>) is answered with the redirect, before access
    /// control; like the reference's router, a method the path does not map answers 404.
    /// </summary>
    public static WebApplication UseTrailingSlashRedirect(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path.Length > 1 && path.EndsWith('/') && context.GetEndpoint() is RouteEndpoint)
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = HttpMethods.IsGet(context.Request.Method) ? StatusCodes.Status301MovedPermanently : StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = path.TrimEnd('/') + context.Request.QueryString;
                return Task.CompletedTask;
            }
            return next(context);
        });
        return app;
    }

    /// <summary>Answers 404 with an empty body (status-code pages switched off for this response).</summary>
    public static void EmptyNotFound(HttpContext context)
    {
        context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
