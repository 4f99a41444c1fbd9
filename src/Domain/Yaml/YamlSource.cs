using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Yaml;

/// <summary>
/// A parsed YAML text with the position helpers the editor needs: node spans, line starts and
/// ends, and where a block node's content really ends (YamlDotNet's end marks for block
/// collections and block scalars point at the next token, not at the node's last character).
/// </summary>
internal sealed class YamlSource
{
    private YamlSource(string text, YamlNode? root)
    {
        Text = text;
        Root = root;
        NewLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
    }

    /// <summary>The document text.</summary>
    public string Text { get; }

    /// <summary>The root node, or null for an empty or comments-only document.</summary>
    public YamlNode? Root { get; }

    /// <summary>The document's line terminator (<c>\r\n</c> when it already uses it).</summary>
    public string NewLine { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="YamlEditException"/> for invalid YAML.</summary>
    public static YamlSource Parse(string text)
    {
        CheckIndentation(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new YamlEditException($"yaml: line {e.Start.Line}: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new YamlEditException("yaml: " + e.Message, e);
        }
        if (stream.Documents.Count > 1) throw new YamlEditException("yaml: expected a single document");
        return new YamlSource(text, stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode);
    }

    /// <summary>
    /// YAML forbids tabs in indentation; the reference's decoder refuses them, YamlDotNet accepts a
    /// line that starts with one, so such lines are refused here (<c>yaml: line N: found a tab character that violates indentation</c>).
    /// </summary>
    private static void CheckIndentation(string text)
    {
        // Only a tab that opens a line is surely indentation; after spaces it may be block-scalar content.
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; continue; }
            if (text[i] != '\t' || (i > 0 && text[i - 1] != '\n')) continue;
            var j = i;
            while (j < text.Length && text[j] is ' ' or '\t') j++;
            if (j < text.Length && text[j] is not ('\n' or '\r' or '#'))
                throw new YamlEditException($"yaml: line {line}: found a tab character that violates indentation");
        }
    }

    /// <summary>Index of the first character of the line holding <paramref name="index"/>.</summary>
    public int LineStart(int index)
    {
        var i = Math.Min(index, Text.Length);
        while (i > 0 && Text[i - 1] != '\n') i--;
        return i;
    }

    /// <summary>Index just past the line terminator of the line holding <paramref name="index"/> (or the text length).</summary>
    public int NextLineStart(int index)
    {
        var nl = Text.IndexOf('\n', Math.Min(index, Text.Length));
        return nl < 0 ? Text.Length : nl + 1;
    }

    /// <summary>Index of the end of the line holding <paramref name="index"/>, before its terminator.</summary>
    public int LineEnd(int index)
    {
        var nl = Text.IndexOf('\n', Math.Min(index, Text.Length));
        if (nl < 0) return Text.Length;
        return nl > 0 && Text[nl - 1] == '\r' ? nl - 1 : nl;
    }

    /// <summary>True when only spaces precede <paramref name="index"/> on its line.</summary>
    public bool StartsLine(int index)
    {
        for (var i = LineStart(index); i < index; i++)
            if (Text[i] != ' ' && Text[i] != '\t') return false;
        return true;
    }

    /// <summary>Column (0-based) of <paramref name="index"/> on its line.</summary>
    public int Column(int index) => index - LineStart(index);

    /// <summary>True when the line starting at <paramref name="lineStart"/> holds only a comment.</summary>
    public bool IsCommentLine(int lineStart, out int indent)
    {
        indent = 0;
        var i = lineStart;
        while (i < Text.Length && Text[i] == ' ') { i++; indent++; }
        return i < Text.Length && Text[i] == '#';
    }

    /// <summary>
    /// Extends a line start backwards over the comment lines directly above it that share its
    /// indentation (the head comment of a list item or a nested key).
    /// </summary>
    public int WithHeadComments(int lineStart)
    {
        var indent = Column(FirstNonSpace(lineStart));
        var start = lineStart;
        while (start > 0)
        {
            var prev = LineStart(start - 1);
            if (!IsCommentLine(prev, out var ind) || ind != indent) break;
            start = prev;
        }
        return start;
    }

    /// <summary>Index just past the last character that belongs to <paramref name="node"/>.</summary>
    /// <param name="node">The node.</param>
    /// <param name="ownerIndent">Column of the key or dash that owns the node (bounds block scalars).</param>
    public int ContentEnd(YamlNode node, int ownerIndent)
    {
        switch (node)
        {
            case YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded } s:
                return BlockScalarEnd(s, ownerIndent);
            case YamlScalarNode s:
                return s.EndAt();
            case YamlMappingNode { Style: MappingStyle.Flow } or YamlSequenceNode { Style: SequenceStyle.Flow }:
                return FlowEnd(node.StartAt());
            case YamlMappingNode m when m.Children.Count > 0:
                var (key, value) = m.Children.Last();
                return Math.Max(key.EndAt(), ContentEnd(value, Column(key.StartAt())));
            case YamlSequenceNode q when q.Children.Count > 0:
                var last = q.Children[^1];
                return ContentEnd(last, Column(DashIndex(last)));
            default:
                return node.EndAt();
        }
    }

    /// <summary>Index of the <c>-</c> indicator of a block sequence item.</summary>
    public int DashIndex(YamlNode item)
    {
        var i = item.StartAt() - 1;
        while (i >= 0 && char.IsWhiteSpace(Text[i])) i--;
        if (i < 0 || Text[i] != '-') throw new YamlEditException("unsupported sequence layout");
        return i;
    }

    /// <summary>Index just past the <c>:</c> that follows a mapping key.</summary>
    public int AfterColon(YamlNode key)
    {
        var i = key.EndAt();
        while (i < Text.Length && Text[i] != ':') i++;
        if (i >= Text.Length) throw new YamlEditException("unsupported mapping layout");
        return i + 1;
    }

    /// <summary>Index just past the bracket that closes the flow collection opening at <paramref name="start"/>.</summary>
    public int FlowEnd(int start)
    {
        var depth = 0;
        for (var i = start; i < Text.Length; i++)
        {
            switch (Text[i])
            {
                case '[' or '{': depth++; break;
                case ']' or '}':
                    if (--depth == 0) return i + 1;
                    break;
                case '"':
                    for (i++; i < Text.Length && Text[i] != '"'; i++) if (Text[i] == '\\') i++;
                    break;
                case '\'':
                    for (i++; i < Text.Length; i++)
                    {
                        if (Text[i] != '\'') continue;
                        if (i + 1 < Text.Length && Text[i + 1] == '\'') i++;
                        else break;
                    }
                    break;
                case '#' when i > 0 && char.IsWhiteSpace(Text[i - 1]):
                    i = LineEnd(i);
                    break;
            }
        }
        throw new YamlEditException("unterminated flow collection");
    }

    private int FirstNonSpace(int lineStart)
    {
        var i = lineStart;
        while (i < Text.Length && Text[i] == ' ') i++;
        return i;
    }

    private int BlockScalarEnd(YamlScalarNode s, int ownerIndent)
    {
        var end = LineEnd(s.StartAt());
        var line = NextLineStart(s.StartAt());
        while (line < Text.Length)
        {
            var first = FirstNonSpace(line);
            var blank = first >= Text.Length || Text[first] is '\n' or '\r';
            if (!blank && first - line <= ownerIndent) break;
            if (!blank) end = LineEnd(line);
            line = NextLineStart(line);
        }
        return end;
    }
}

/// <summary>A YAML text could not be parsed or edited.</summary>
public sealed class YamlEditException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Character positions of YamlDotNet nodes as <see cref="int"/> indexes into the text.</summary>
internal static class YamlNodePositions
{
    /// <summary>Index of the node's first character.</summary>
    public static int StartAt(this YamlNode node) => checked((int)node.Start.Index);

    /// <summary>Index YamlDotNet gives as the node's end (exact for scalars and flow collections).</summary>
    public static int EndAt(this YamlNode node) => checked((int)node.End.Index);
}
