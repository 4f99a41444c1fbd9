using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>Upstream calls of a flow turned into <see cref="OAuthLoginFailure"/>s with the flow's message and a short cause (never the upstream's body).</summary>
public static class FlowSteps
{
    /// <summary>
    /// Runs <paramref name="call"/>; a transport failure or a timeout of the request becomes
    /// <c>&lt;failure&gt;: request failed</c> / <c>request timed out</c>, and an answer that
    /// <paramref name="accept"/> refuses (default: not 2xx or not a JSON object) becomes
    /// <c>&lt;failure&gt;: upstream answered &lt;status&gt;</c>. Cancellation of <paramref name="cancellationToken"/> passes through.
    /// </summary>
    public static async Task<UpstreamAnswer> Call(string failure, Func<Task<UpstreamAnswer>> call, CancellationToken cancellationToken,
        Func<UpstreamAnswer, bool>? accept = null)
    {
        UpstreamAnswer answer;
        try
        {
            answer = await call();
        }
        catch (HttpRequestException e)
        {
            throw new OAuthLoginFailure($"{failure}: request failed", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OAuthLoginFailure($"{failure}: request timed out", e);
        }
        if (!(accept ?? (a => a.IsSuccess && a.Json is not null))(answer))
            throw new OAuthLoginFailure($"{failure}: upstream answered {answer.Status}");
        return answer;
    }
}
