using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CliProxy.Tests.Gateway.Metrics;

/// <summary>One measurement seen by <see cref="MeterCapture"/>: the instrument's name, the value and the labels.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string> Labels);

/// <summary>Records every measurement of the meters one <see cref="IMeterFactory"/> created (so parallel tests do not mix).</summary>
public sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _seen = new();

    /// <summary>Listens to the instruments of <paramref name="factory"/>'s meters.</summary>
    public MeterCapture(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>Every measurement so far, in order.</summary>
    public IReadOnlyList<Measured> All => [.. _seen];

    /// <summary>The measurements of one instrument.</summary>
    public IReadOnlyList<Measured> Of(string instrument) => [.. _seen.Where(m => m.Instrument == instrument)];

    /// <summary>Reads the observable instruments now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string>();
        foreach (var (k, v) in tags) labels[k] = Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        _seen.Enqueue(new Measured(instrument.Name, value, labels));
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
