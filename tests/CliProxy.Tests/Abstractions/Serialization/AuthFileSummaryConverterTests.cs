using CliProxy.Abstractions.Serialization;
using CliProxy.Domain.AuthFiles;

namespace CliProxy.Tests.Abstractions.Serialization;

/// <summary>The wire form of a list summary carries every field, the per-credential overrides included.</summary>
[Unit]
public sealed class AuthFileSummaryConverterTests
{
    [Theory]
    [InlineData("""{"type":"codex","email":"a@example.com","prefix":"team","excluded_models":["gpt-4*"],"disable_cooling":true,"request_retry":2}""")]
    [InlineData("""{"type":"claude"}""")]
    public void A_summary_comes_back_equal_from_its_surrogate(string json)
    {
        var at = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var summary = AuthFileSummaries.Build("a.json", json, at, at);
        var converter = new AuthFileSummaryConverter();
        var back = converter.ConvertFromSurrogate(converter.ConvertToSurrogate(summary));
        Assert.Equal(summary, back); // ModelPatterns compares by its patterns
        Assert.Equal((summary.DisableCooling, summary.RequestRetry), (back.DisableCooling, back.RequestRetry));
    }
}
