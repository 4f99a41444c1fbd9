using System.Diagnostics.Metrics;
using CliProxy.Domain.Usage;
using CliProxy.Gateway.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Metrics;

/// <summary><see cref="ProxyMetrics"/>: instruments, labels, the client label and bounded cardinality.</summary>
[Unit]
public sealed class ProxyMetricsTests : IDisposable
{
    private const string Key = "sk-client-secret-0123456789";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterCapture _capture;
    private readonly ProxyMetrics _metrics;

    public ProxyMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _capture = new MeterCapture(factory);
        _metrics = new ProxyMetrics(factory);
    }

    public void Dispose()
    {
        _capture.Dispose();
        _services.Dispose();
    }

    private static void AssertLabels(Measured m, params (string Name, string Value)[] expected) =>
        Assert.Equal(expected.ToDictionary(e => e.Name, e => e.Value).OrderBy(p => p.Key), m.Labels.OrderBy(p => p.Key));

    [Fact]
    public void A_request_counts_and_records_its_duration_with_route_model_client_and_status()
    {
        _metrics.RequestCompleted("/v1/chat/completions", "gpt-5", Key, 200, TimeSpan.FromMilliseconds(1500));
        var label = ClientKeyLabel.Of(Key);
        var count = Assert.Single(_capture.Of("cliproxy.proxy.requests"));
        Assert.Equal(1, count.Value);
        AssertLabels(count, ("route", "/v1/chat/completions"), ("model", "gpt-5"), ("client", label), ("status", "200"));
        var duration = Assert.Single(_capture.Of("cliproxy.proxy.request.duration"));
        Assert.Equal(1.5, duration.Value, 6);
        Assert.Equal(count.Labels, duration.Labels);
    }

    [Fact]
    public void An_attempt_records_status_duration_and_time_to_first_byte_only_when_a_byte_came()
    {
        _metrics.AttemptCompleted("claude", "claude-sonnet-4", "a1b2c3", 429, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250));
        _metrics.AttemptCompleted("claude", "claude-sonnet-4", "a1b2c3", 0, TimeSpan.FromSeconds(30), null);
        var attempts = _capture.Of("cliproxy.proxy.upstream.attempts");
        Assert.Equal(["429", "0"], attempts.Select(a => a.Labels["status"]));
        AssertLabels(attempts[0], ("provider", "claude"), ("model", "claude-sonnet-4"), ("auth_index", "a1b2c3"), ("status", "429"));
        Assert.Equal([2.0, 30.0], _capture.Of("cliproxy.proxy.upstream.attempt.duration").Select(m => m.Value));
        var ttfb = Assert.Single(_capture.Of("cliproxy.proxy.upstream.time_to_first_byte"));
        Assert.Equal(0.25, ttfb.Value, 6);
    }

    [Fact]
    public void Tokens_count_per_kind_and_skip_zero_kinds()
    {
        _metrics.TokensCounted("codex", "gpt-5-codex", "ffee", Key, new UsageTokens(Input: 100, Output: 20, Reasoning: 0, Cached: 64, Total: 120));
        var tokens = _capture.Of("cliproxy.proxy.tokens");
        Assert.Equal([("input", 100.0), ("output", 20.0), ("cached", 64.0)], tokens.Select(t => (t.Labels["kind"], t.Value)));
        AssertLabels(tokens[0], ("provider", "codex"), ("model", "gpt-5-codex"), ("auth_index", "ffee"), ("client", ClientKeyLabel.Of(Key)), ("kind", "input"));
    }

    [Fact]
    public void A_cooldown_counts_and_records_its_length()
    {
        _metrics.CooldownStarted("gemini", "gemini-2.5-pro", "0a0b", 429, TimeSpan.FromMinutes(5));
        AssertLabels(Assert.Single(_capture.Of("cliproxy.proxy.cooldowns")), ("provider", "gemini"), ("model", "gemini-2.5-pro"), ("auth_index", "0a0b"), ("status", "429"));
        Assert.Equal(300, Assert.Single(_capture.Of("cliproxy.proxy.cooldown.duration")).Value);
    }

    [Fact]
    public void No_label_carries_the_client_key_or_a_part_of_it()
    {
        _metrics.RequestCompleted("/v1/messages", "m", Key, 200, TimeSpan.Zero);
        _metrics.TokensCounted("claude", "m", "x", Key, new UsageTokens(1, 1, 1, 1, 4));
        foreach (var value in _capture.All.SelectMany(m => m.Labels.Values))
        {
            Assert.DoesNotContain(Key[..6], value);
            Assert.DoesNotContain(Key[^4..], value);
        }
    }

    [Fact]
    public void The_client_label_is_a_stable_hash_prefix_and_none_without_a_key()
    {
        Assert.Matches("^key-[0-9a-f]{8}$", ClientKeyLabel.Of(Key));
        Assert.Equal(ClientKeyLabel.Of(Key), ClientKeyLabel.Of(Key));
        Assert.NotEqual(ClientKeyLabel.Of(Key), ClientKeyLabel.Of(Key + "x"));
        Assert.Equal("key-9f86d081", ClientKeyLabel.Of("test")); // sha256("test") = 9f86d081…
        _metrics.RequestCompleted("/v1/models", "", "", 200, TimeSpan.Zero);
        AssertLabels(Assert.Single(_capture.Of("cliproxy.proxy.requests")), ("route", "/v1/models"), ("model", "none"), ("client", "none"), ("status", "200"));
    }

    [Fact]
    public void A_rejected_key_is_labelled_unauthorized_and_takes_no_client_slot()
    {
        for (var i = 0; i < ProxyMetrics.MaxClients + 10; i++)
            _metrics.RequestCompleted("/v1/chat/completions", "m", "guess-" + i, 401, TimeSpan.Zero);
        Assert.All(_capture.Of("cliproxy.proxy.requests"), m => Assert.Equal(ProxyMetrics.Unauthorized, m.Labels["client"]));
        _metrics.RequestCompleted("/v1/chat/completions", "m", Key, 200, TimeSpan.Zero);
        Assert.Equal(ClientKeyLabel.Of(Key), _capture.Of("cliproxy.proxy.requests")[^1].Labels["client"]);
    }

    [Fact]
    public void Models_past_the_limit_become_other_and_long_values_are_cut()
    {
        for (var i = 0; i < ProxyMetrics.MaxModels + 5; i++)
            _metrics.RequestCompleted("/v1/chat/completions", "model-" + i, Key, 404, TimeSpan.Zero);
        var models = _capture.Of("cliproxy.proxy.requests").Select(m => m.Labels["model"]).ToList();
        Assert.Equal(ProxyMetrics.MaxModels, models.Distinct().Count(m => m != LabelLimiter.Other));
        Assert.Equal(Enumerable.Repeat(LabelLimiter.Other, 5), models[^5..]);
        _metrics.RequestCompleted("/v1/chat/completions", "model-0", Key, 200, TimeSpan.Zero);
        Assert.Equal("model-0", _capture.Of("cliproxy.proxy.requests")[^1].Labels["model"]); // a known value keeps its label

        var limiter = new LabelLimiter(4);
        Assert.Equal(LabelLimiter.MaxLength, limiter.Label(new string('m', 1000)).Length);
    }
}
