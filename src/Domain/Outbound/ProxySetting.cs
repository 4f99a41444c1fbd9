using System.Net;

namespace CliProxy.Domain.Outbound;

/// <summary>How outbound requests reach the network, as a <c>proxy-url</c> value says.</summary>
public enum ProxyMode
{
    /// <summary>No value (empty or blank): the platform's default, which honours <c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>, <c>ALL_PROXY</c> and <c>NO_PROXY</c>.</summary>
    Inherit,

    /// <summary><c>direct</c> or <c>none</c> (any case): straight to the target, environment proxies ignored.</summary>
    Direct,

    /// <summary>An <c>http://</c>, <c>https://</c>, <c>socks5://</c> or <c>socks5h://</c> URL with a host.</summary>
    Proxy,

    /// <summary>Anything else (another scheme, no host, not a URL): treated as <see cref="Inherit"/>, with <see cref="ProxySetting.Problem"/> saying why.</summary>
    Invalid,
}

/// <summary>
/// One <c>proxy-url</c> value (the config's global one or a credential's), read as the reference
/// reads it: trimmed; empty → <see cref="ProxyMode.Inherit"/>; <c>direct</c>/<c>none</c> →
/// <see cref="ProxyMode.Direct"/>; an http, https, socks5 or socks5h URL with a host →
/// <see cref="ProxyMode.Proxy"/>, with the user name and password of its user info (percent-decoded) as the
/// proxy's credentials; anything else → <see cref="ProxyMode.Invalid"/> (used like inherit). A socks5h URL
/// is a socks5 proxy here: .NET's SOCKS5 client always lets the proxy resolve host names.
/// </summary>
public sealed class ProxySetting
{
    /// <summary>The setting for an empty value.</summary>
    public static readonly ProxySetting Inherit = new(ProxyMode.Inherit, null, null, "");

    private ProxySetting(ProxyMode mode, Uri? address, NetworkCredential? credentials, string problem)
    {
        Mode = mode;
        Address = address;
        Credentials = credentials;
        Problem = problem;
    }

    /// <summary>What the value asks for.</summary>
    public ProxyMode Mode { get; }

    /// <summary>The proxy's address without user info (<c>socks5h</c> written as <c>socks5</c>); set for <see cref="ProxyMode.Proxy"/> only.</summary>
    public Uri? Address { get; }

    /// <summary>User name and password from the URL's user info, or null.</summary>
    public NetworkCredential? Credentials { get; }

    /// <summary>Why an <see cref="ProxyMode.Invalid"/> value is not used (never contains the value itself, which may hold a password); empty otherwise.</summary>
    public string Problem { get; }

    /// <summary>
    /// A stable text that identifies the setting and never shows a password: <c>inherit</c>,
    /// <c>direct</c>, <c>invalid</c>, or the proxy's address with <c>***@</c> in place of its user info.
    /// Two values with the same description but different credentials still differ in <see cref="Identity"/>.
    /// </summary>
    public string Description => Mode switch
    {
        ProxyMode.Proxy => $"{Address!.Scheme}://{(Credentials is null ? "" : "***@")}{Address.Authority}",
        _ => Mode.ToString().ToLowerInvariant(),
    };

    /// <summary>Everything that makes two settings behave differently (credentials included): equal identities may share one HTTP client.</summary>
    public string Identity => Credentials is { } c ? $"{Description}\n{c.UserName}\n{c.Password}" : Description;

    /// <summary>Reads <paramref name="value"/> (null counts as empty).</summary>
    public static ProxySetting Parse(string? value)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return Inherit;
        if (text.Equals("direct", StringComparison.OrdinalIgnoreCase) || text.Equals("none", StringComparison.OrdinalIgnoreCase))
            return new ProxySetting(ProxyMode.Direct, null, null, "");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return Invalid("not a URL");
        if (uri.Scheme is not ("http" or "https" or "socks5" or "socks5h")) return Invalid($"unsupported proxy scheme '{uri.Scheme}'");
        if (uri.Host.Length == 0) return Invalid("proxy URL has no host");
        var address = new UriBuilder(uri) { Scheme = uri.Scheme == "socks5h" ? "socks5" : uri.Scheme, UserName = "", Password = "", Path = "", Query = "", Fragment = "" };
        if (uri.IsDefaultPort) address.Port = -1;
        NetworkCredential? credentials = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }
        return new ProxySetting(ProxyMode.Proxy, address.Uri, credentials, "");
    }

    private static ProxySetting Invalid(string problem) => new(ProxyMode.Invalid, null, null, problem);
}
