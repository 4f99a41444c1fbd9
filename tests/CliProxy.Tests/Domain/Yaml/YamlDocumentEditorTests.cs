using System.Text.Json.Nodes;
using CliProxy.Domain.Yaml;

namespace CliProxy.Tests.Domain.Yaml;

[Unit]
public sealed class YamlDocumentEditorTests
{
    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public void Scalar_change_keeps_quoting_and_trailing_comment()
    {
        var text = Lines("# head", "routing:", "  strategy: \"round-robin\"   # or fill-first", "debug: false");
        var result = YamlDocumentEditor.Set(text, ["routing", "strategy"], "fill-first");
        Assert.Equal(Lines("# head", "routing:", "  strategy: \"fill-first\"   # or fill-first", "debug: false"), result);
    }

    [Fact]
    public void Single_quoted_scalar_stays_single_quoted()
    {
        var result = YamlDocumentEditor.Set("proxy-url: 'a'\n", ["proxy-url"], "it's");
        Assert.Equal("proxy-url: 'it''s'\n", result);
    }

    [Fact]
    public void Plain_string_that_would_read_as_another_type_is_quoted()
    {
        Assert.Equal("proxy-url: \"true\"\n", YamlDocumentEditor.Set("proxy-url: x\n", ["proxy-url"], "true"));
        Assert.Equal("proxy-url: \"123\"\n", YamlDocumentEditor.Set("proxy-url: x\n", ["proxy-url"], "123"));
        Assert.Equal("proxy-url: \"a: b\"\n", YamlDocumentEditor.Set("proxy-url: x\n", ["proxy-url"], "a: b"));
    }

    [Fact]
    public void Missing_nested_key_is_added_under_its_parent()
    {
        var text = Lines("quota-exceeded:", "  switch-project: true", "debug: false");
        var result = YamlDocumentEditor.Set(text, ["quota-exceeded", "switch-preview-model"], true);
        Assert.Equal(Lines("quota-exceeded:", "  switch-project: true", "  switch-preview-model: true", "debug: false"), result);
    }

    [Fact]
    public void Missing_parent_is_appended_at_the_end()
    {
        var result = YamlDocumentEditor.Set("port: 8317\n", ["routing", "strategy"], "fill-first");
        Assert.Equal(Lines("port: 8317", "routing:", "  strategy: fill-first"), result);
    }

    [Fact]
    public void Null_value_after_colon_is_replaced()
    {
        var result = YamlDocumentEditor.Set(Lines("routing:", "debug: true"), ["routing", "strategy"], "ff");
        Assert.Equal(Lines("routing:", "  strategy: ff", "debug: true"), result);
    }

    [Fact]
    public void Sequence_item_change_keeps_other_items_and_comments()
    {
        var text = Lines("api-keys:", "  - \"k1\"   # first", "  - 'k2'  # second", "  - k3");
        var result = YamlDocumentEditor.Set(text, ["api-keys"], new JsonArray("k1", "k9", "k3"));
        Assert.Equal(Lines("api-keys:", "  - \"k1\"   # first", "  - 'k9'  # second", "  - k3"), result);
    }

    [Fact]
    public void Sequence_append_and_delete()
    {
        var text = Lines("api-keys:", "  # the first one", "  - k1", "  - k2", "other: 1");
        Assert.Equal(Lines("api-keys:", "  # the first one", "  - k1", "  - k2", "  - k3", "other: 1"),
            YamlDocumentEditor.Set(text, ["api-keys"], new JsonArray("k1", "k2", "k3")));
        Assert.Equal(Lines("api-keys:", "  - k2", "other: 1"), YamlDocumentEditor.Set(text, ["api-keys"], new JsonArray("k2")));
    }

    [Fact]
    public void Emptied_sequence_becomes_flow_empty_and_drops_the_last_items_comment()
    {
        var text = Lines("api-keys:", "  - k1  # one", "other: 1");
        Assert.Equal(Lines("api-keys: []", "other: 1"), YamlDocumentEditor.Set(text, ["api-keys"], new JsonArray()));
    }

    [Fact]
    public void Flow_empty_sequence_becomes_block()
    {
        var result = YamlDocumentEditor.Set(Lines("api-keys: []", "debug: true"), ["api-keys"], new JsonArray("a", "b"));
        Assert.Equal(Lines("api-keys:", "  - a", "  - b", "debug: true"), result);
    }

    [Fact]
    public void Reordered_sequence_moves_items_with_their_comments()
    {
        var text = Lines("keys:", "  - a  # A", "  - b  # B");
        Assert.Equal(Lines("keys:", "  - b  # B", "  - a  # A"), YamlDocumentEditor.Set(text, ["keys"], new JsonArray("b", "a")));
    }

    [Fact]
    public void Mapping_items_are_patched_field_by_field()
    {
        var text = Lines(
            "list:",
            "  - api-key: \"a\"   # main",
            "    headers:",
            "      X-One: \"1\"",
            "      X-Two: \"2\"",
            "  - api-key: b");
        var value = JsonNode.Parse("""[{"api-key":"a","headers":{"X-One":"1"}},{"api-key":"b","prefix":"p"}]""");
        Assert.Equal(Lines(
            "list:",
            "  - api-key: \"a\"   # main",
            "    headers:",
            "      X-One: \"1\"",
            "  - api-key: b",
            "    prefix: p"), YamlDocumentEditor.Set(text, ["list"], value));
    }

    [Fact]
    public void Removing_the_first_key_of_a_list_item_pulls_the_next_key_onto_the_dash_line()
    {
        var text = Lines("list:", "  - api-key: a", "    prefix: p");
        Assert.Equal(Lines("list:", "  - prefix: p"), YamlDocumentEditor.Set(text, ["list"], JsonNode.Parse("""[{"prefix":"p"}]""")));
    }

    [Fact]
    public void Zero_valued_keys_missing_from_the_new_value_are_kept()
    {
        var text = Lines("list:", "  - api-key: a", "    proxy-url: \"\"");
        Assert.Equal(text, YamlDocumentEditor.Set(text, ["list"], JsonNode.Parse("""[{"api-key":"a"}]""")));
    }

    [Fact]
    public void Remove_nested_key_and_last_key()
    {
        var text = Lines("m:", "  a:", "    - x", "  # about b", "  b:", "    - y", "z: 1");
        Assert.Equal(Lines("m:", "  a:", "    - x", "z: 1"), YamlDocumentEditor.Remove(text, ["m", "b"]));
        Assert.Equal(Lines("m: {}", "z: 1"), YamlDocumentEditor.Remove(YamlDocumentEditor.Remove(text, ["m", "b"]), ["m", "a"]));
        Assert.Equal(text, YamlDocumentEditor.Remove(text, ["m", "nope"]));
    }

    [Fact]
    public void Block_scalars_are_left_intact()
    {
        var text = Lines("note: |", "  line one", "  # not a comment", "", "debug: false");
        Assert.Equal(Lines("note: |", "  line one", "  # not a comment", "", "debug: true"), YamlDocumentEditor.Set(text, ["debug"], true));
    }

    [Fact]
    public void Empty_and_flow_root_documents()
    {
        Assert.Equal(Lines("# hi", "api-keys:", "  - a"), YamlDocumentEditor.Set("# hi\n", ["api-keys"], new JsonArray("a")));
        Assert.Equal(Lines("api-keys:", "  - a"), YamlDocumentEditor.Set("{}\n", ["api-keys"], new JsonArray("a")));
    }

    [Fact]
    public void Crlf_documents_keep_crlf()
    {
        var result = YamlDocumentEditor.Set("a: 1\r\nb:\r\n  - x\r\n", ["b"], new JsonArray("x", "z"));
        Assert.Equal("a: 1\r\nb:\r\n  - x\r\n  - z\r\n", result);
    }

    [Fact]
    public void Non_mapping_root_is_refused()
    {
        Assert.Throws<YamlEditException>(() => YamlDocumentEditor.Set("- a\n", ["x"], 1));
        Assert.Throws<YamlEditException>(() => YamlDocumentEditor.Set("a: [1\n", ["x"], 1));
    }
}
