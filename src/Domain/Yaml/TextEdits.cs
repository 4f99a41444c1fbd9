using System.Text;

namespace CliProxy.Domain.Yaml;

/// <summary>
/// Non-overlapping replacements on one original text, applied in a single pass. Insertions at
/// the same position keep the order they were added in and go before a replacement that starts
/// there.
/// </summary>
internal sealed class TextEdits(YamlSource source)
{
    private readonly List<(int Start, int End, string Text)> _edits = [];

    /// <summary>Number of edits so far (a savepoint for <see cref="Truncate"/>).</summary>
    public int Count => _edits.Count;

    /// <summary>Inserts <paramref name="text"/> at <paramref name="at"/>.</summary>
    public void Insert(int at, string text) => Replace(at, at, text);

    /// <summary>Replaces [<paramref name="start"/>, <paramref name="end"/>); throws <see cref="YamlEditException"/> on overlap.</summary>
    public void Replace(int start, int end, string text)
    {
        if (start < 0 || end < start || end > source.Text.Length) throw new YamlEditException("edit out of range");
        foreach (var e in _edits)
        {
            var overlaps = start < e.End && e.Start < end;
            var inside = start == end ? start > e.Start && start < e.End : e.Start == e.End && e.Start > start && e.Start < end;
            if (overlaps || inside) throw new YamlEditException("overlapping edits");
        }
        _edits.Add((start, end, text));
    }

    /// <summary>Drops the edits added after savepoint <paramref name="count"/>.</summary>
    public void Truncate(int count) => _edits.RemoveRange(count, _edits.Count - count);

    /// <summary>The text with every edit applied.</summary>
    public string Apply()
    {
        var ordered = _edits.Select((e, i) => (e, i)).OrderBy(x => x.e.Start).ThenBy(x => x.e.End > x.e.Start ? 1 : 0).ThenBy(x => x.i);
        var sb = new StringBuilder(source.Text.Length + 256);
        var pos = 0;
        foreach (var (e, _) in ordered)
        {
            sb.Append(source.Text, pos, e.Start - pos).Append(e.Text);
            pos = e.End;
        }
        return sb.Append(source.Text, pos, source.Text.Length - pos).ToString();
    }
}
