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
        var rest = path.AsSpan().TrimStart('/');
        foreach (var segment in pattern.PathSegments)
        {
            if (rest.IsEmpty) return true;
            var slash = rest.IndexOf('/');
            var current = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? [] : rest[(slash + 1)..];
            if (segment.Parts is [RoutePatternLiteralPart literal] && !current.SequenceEqual(literal.Content)) return false;
        }
        return true;
    }
}
