namespace CliProxy.Gateway.Usage;

/// <summary>Registration of the node's usage recording path.</summary>
public static class UsageServices
{
    /// <summary>
    /// Adds <see cref="IUsageRecorder"/> (a singleton) and its <see cref="UsageFlusher"/>. Register it
    /// before the services that stop HTTP: hosted services stop in reverse order, so the final flush
    /// then runs after the last request was answered.
    /// </summary>
    public static IServiceCollection AddUsageRecording(this IServiceCollection services)
    {
        services.AddOptions<UsageRecorderOptions>().BindConfiguration(UsageRecorderOptions.Section);
        services.AddSingleton<UsageSwitch>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<IUsageRecorder>(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddSingleton<UsageFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageFlusher>());
        return services;
    }
}
