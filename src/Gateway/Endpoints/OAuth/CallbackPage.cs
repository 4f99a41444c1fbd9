using System.Net;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>The small HTML page the browser lands on after a provider's redirect.</summary>
public static class CallbackPage
{
    private const string ContentType = "text/html; charset=utf-8";

    /// <summary>"Authentication successful": the window may be closed (it closes itself after 5 seconds).</summary>
    public static IResult Succeeded() => Page(StatusCodes.Status200OK, "Authentication successful",
        "You can close this window and return to the management page.", closeAfter: true);

    /// <summary>"Authentication failed" with the reason.</summary>
    public static IResult Failed(int status, string message) => Page(status, "Authentication failed",
        "The login did not succeed: " + message + ". Start it again from the management page.", closeAfter: false);

    /// <summary>The login is still being finished; the management page shows the result.</summary>
    public static IResult StillWorking() => Page(StatusCodes.Status202Accepted, "Authentication in progress",
        "The login is still being finished; the management page shows the result.", closeAfter: false);

    private static IResult Page(int status, string title, string text, bool closeAfter)
    {
        var script = closeAfter ? "<script>setTimeout(function(){window.close();},5000);</script>" : "";
        var html = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>"
                   + $"<body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p>{script}</body></html>";
        return Results.Text(html, ContentType, statusCode: status);
    }
}
