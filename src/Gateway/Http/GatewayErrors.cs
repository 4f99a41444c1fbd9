using CliProxy.Abstractions.Calls;
using CliProxy.Domain.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace CliProxy.Gateway.Http;

/// <summary>
/// What the routes leave unanswered or throw, answered in one place (one middleware, before routing): a body over a
/// route's limit is the <see cref="Refusals.BodyTooLarge"/> refusal; a cluster that cannot be reached
/// (<see cref="CallFailures.IsTransient"/>) is <see cref="Refusals.ServiceUnavailable"/>; a response that leaves
/// unstarted with 404 or 405 and no body of its own (no <c>Content-Type</c>, no <c>Content-Length</c>) gets the
/// reference router's text (<see cref="NotFoundHandling.Body"/>), unless the route switched that off
/// (<see cref="NotFoundHandling.EmptyNotFound"/>, through <see cref="IStatusCodePagesFeature"/> as ASP.NET's status-code
/// pages; not <c>UseStatusCodePages</c> itself, which keeps a dictionary and the route values of every request).
/// </summary>
public static class GatewayErrors
{
    /// <summary>Adds the middleware.</summary>
    public static WebApplication UseGatewayErrors(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway");
        app.Use(async (context, next) =>
        {
            var pages = new StatusCodePagesFeature();
            context.Features.Set<IStatusCodePagesFeature>(pages);
            try
            {
                await next(context);
            }
            catch (BodyTooLargeException e) when (!context.Response.HasStarted)
            {
                await JsonResponses.WriteRefusalAsync(context, Refusals.BodyTooLarge(e.Limit));
                return;
            }
            catch (Exception e) when (CallFailures.IsTransient(e) && !context.Response.HasStarted)
            {
                logger.LogWarning("Cluster unavailable: {Error}", e.Message);
                await JsonResponses.WriteRefusalAsync(context, Refusals.ServiceUnavailable);
                return;
            }
            var response = context.Response;
            if (!pages.Enabled || response.HasStarted || response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
                || response.ContentLength.HasValue || !string.IsNullOrEmpty(response.ContentType)) return;
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain";
            await response.WriteAsync(NotFoundHandling.Body);
        });
        return app;
    }
}
