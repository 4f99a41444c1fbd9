namespace CliProxy.Domain.Usage;

/// <summary>
/// The most recent details, at most <see cref="Capacity"/> of them (oldest dropped first): what
/// <c>GET /usage</c> shows under <c>details</c>, so its size and cost stay the same however many
/// records were counted (spec §7 defect 1). Not thread-safe; its owner is a grain.
/// </summary>
public sealed class RecentDetails
{
    private readonly UsageDetail[] _ring;
    private int _start;

    /// <summary>An empty window of <paramref name="capacity"/> details (0 keeps none).</summary>
    public RecentDetails(int capacity) => _ring = new UsageDetail[Math.Max(0, capacity)];

    /// <summary>The most details kept.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Details kept now.</summary>
    public int Count { get; private set; }

    /// <summary>Appends <paramref name="details"/> in order, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public void AddRange(IEnumerable<UsageDetail> details)
    {
        if (_ring.Length == 0) return;
        foreach (var d in details)
        {
            if (Count < _ring.Length)
            {
                _ring[(_start + Count) % _ring.Length] = d;
                Count++;
            }
            else
            {
                _ring[_start] = d;
                _start = (_start + 1) % _ring.Length;
            }
        }
    }

    /// <summary>The kept details, oldest first.</summary>
    public IEnumerable<UsageDetail> Items()
    {
        for (var i = 0; i < Count; i++) yield return _ring[(_start + i) % _ring.Length];
    }
}
