using CliProxy.Domain.Yaml;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Config;

/// <summary>
/// Where each top-level key of a block-mapping document sits in the text: from the start of its
/// key line to the end of the last line of its value. An edit of one key re-parses and rewrites
/// only that range, so the cost of a change does not grow with the document.
/// </summary>
internal sealed class RootBlocks
{
    private readonly List<(string Key, int Start, int End)> _blocks;

    private RootBlocks(List<(string Key, int Start, int End)> blocks) => _blocks = blocks;

    /// <summary>
    /// The blocks of a parsed document, or null when its root is not a block mapping whose keys
    /// each start a line (a flow root such as <c>{}</c>); such documents are edited whole.
    /// </summary>
    public static RootBlocks? Of(YamlSource source)
    {
        switch (source.Root)
        {
            case null:
                return new RootBlocks([]);
            case YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Block } map:
                var blocks = new List<(string, int, int)>();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name } || !source.StartsLine(key.StartAt())) return null;
                    blocks.Add((name, source.LineStart(key.StartAt()), source.NextLineStart(source.ContentEnd(value, 0))));
                }
                return new RootBlocks(blocks);
            default:
                return null;
        }
    }

    /// <summary>A copy to edit.</summary>
    public RootBlocks Clone() => new([.. _blocks]);

    /// <summary>The range of <paramref name="key"/>, or null.</summary>
    public (int Start, int End)? Find(string key)
    {
        foreach (var b in _blocks)
            if (b.Key == key) return (b.Start, b.End);
        return null;
    }

    /// <summary>Records that <paramref name="key"/>'s range now holds <paramref name="length"/> characters (0 removes it).</summary>
    public void Replace(string key, int length)
    {
        var i = _blocks.FindIndex(b => b.Key == key);
        var (_, start, end) = _blocks[i];
        var delta = length - (end - start);
        for (var j = i + 1; j < _blocks.Count; j++) _blocks[j] = (_blocks[j].Key, _blocks[j].Start + delta, _blocks[j].End + delta);
        if (length == 0) _blocks.RemoveAt(i);
        else _blocks[i] = (key, start, start + length);
    }

    /// <summary>Records a new last block.</summary>
    public void Append(string key, int start, int end) => _blocks.Add((key, start, end));
}
