namespace CliProxy.Domain.Go;

/// <summary>Durations in Go's notation, rounded to whole seconds: <c>29m59s</c>, <c>5m0s</c>, <c>42s</c>, <c>1h0m0s</c>.</summary>
public static class GoDuration
{
    /// <summary>Formats <paramref name="duration"/> (negative values as <c>0s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        var total = (long)Math.Round(Math.Max(0, duration.TotalSeconds), MidpointRounding.AwayFromZero);
        var h = total / 3600;
        var m = total % 3600 / 60;
        var s = total % 60;
        if (h > 0) return $"{h}h{m}m{s}s";
        return m > 0 ? $"{m}m{s}s" : $"{s}s";
    }
}
