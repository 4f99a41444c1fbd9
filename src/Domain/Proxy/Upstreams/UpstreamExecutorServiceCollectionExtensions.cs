using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>Registration of the provider executors in a gateway host.</summary>
public static class UpstreamExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="UpstreamOptions"/> (from <c>Proxy:Upstreams:&lt;provider&gt;:BaseUrl</c> of
    /// <paramref name="configuration"/>) and every executor as <see cref="IUpstreamExecutor"/>, the specific ones
    /// (Qwen, Kimi, iFlow) before the generic OpenAI-compatible one. <see cref="TimeProvider"/> defaults to the system clock.
    /// </summary>
    public static IServiceCollection AddUpstreamExecutors(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => UpstreamOptions.FromConfiguration(configuration));
        services.AddSingleton<IUpstreamExecutor, ClaudeExecutor>();
        services.AddSingleton<IUpstreamExecutor, CodexExecutor>();
        services.AddSingleton<IUpstreamExecutor, GeminiExecutor>();
        services.AddSingleton<IUpstreamExecutor, VertexExecutor>();
        services.AddSingleton<IUpstreamExecutor, QwenExecutor>();
        services.AddSingleton<IUpstreamExecutor, KimiExecutor>();
        services.AddSingleton<IUpstreamExecutor, IFlowExecutor>();
        services.AddSingleton<IUpstreamExecutor, OpenAICompatibleExecutor>();
        return services;
    }

    /// <summary>The executor that serves <paramref name="client"/> requests on <paramref name="credential"/> as they are, or null (answer <see cref="UnsupportedTranslation.Message"/>).</summary>
    public static IUpstreamExecutor? For(this IReadOnlyList<IUpstreamExecutor> executors, UpstreamCredential credential, ClientProtocol client)
    {
        for (var i = 0; i < executors.Count; i++) // by index: this runs several times per request, an enumerator would be allocated each time
            if (executors[i].Serves(credential, client)) return executors[i];
        return null;
    }
}
