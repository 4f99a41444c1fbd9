namespace CliProxy.ProxyBench;

/// <summary>Before measuring: each path answers the small request with the upstream's body (a usage object) and streams.</summary>
public static class ProxyCheck
{
    public static async Task AnswersAsync(ProxyPath path)
    {
        using var http = Bench.LoadRun.Client(path.BaseAddress);
        foreach (var stream in new[] { false, true })
        {
            using var request = path.Chat(stream).Create(0);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"usage\"", StringComparison.Ordinal) || stream != body.Contains("[DONE]", StringComparison.Ordinal))
                throw new InvalidOperationException($"{path.Name} (stream: {stream}) answered {(int)response.StatusCode}: {body}");
        }
    }
}
