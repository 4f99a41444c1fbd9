using Microsoft.AspNetCore.Routing.Patterns;

namespace CliProxy.Gateway.Http;

/// <summary>
/// ASP.NET Core matches literal route segments ignoring case; the reference's router does not
/// (<c>/v0/management/CONFIG</c> is not a route). After routing, an endpoint whose literal segments
/// differ in case from the request path is dropped, so the request ends as the router's 404.
/// </summary>
public static class CaseSensitiveRouting
{
    /// <summary>Adds routing followed by the case check.</summary>
    public static WebApplication UseCaseSensitiveRouting(this WebApplication app)
    {
        app.UseRouting();
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is RouteEndpoint endpoint && !LiteralsMatch(endpoint.RoutePattern, context.Request.Path.Value ?? ""))
                context.SetEndpoint(null);
            return next(context);
        });
        return app;
    }

    /// <summary>True when every literal segment of <paramref name="pattern"/> equals the path's segment exactly.</summary>
    public static bool LiteralsMatch(RoutePattern pattern, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < pattern.PathSegments.Count && i < segments.Length; i++)
        {
            var parts = pattern.PathSegments[i].Parts;
            if (parts.All(p => p is RoutePatternLiteralPart) &&
                !string.Equals(string.Concat(parts.Cast<RoutePatternLiteralPart>().Select(p => p.Content)), segments[i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}
