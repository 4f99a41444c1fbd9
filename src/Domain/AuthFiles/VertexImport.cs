using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliProxy.Domain.Errors;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// <c>POST /vertex/import</c>: turns a Google service-account key into a Vertex
/// credential file. The private key is cleaned, must be RSA (PKCS#1 or PKCS#8; a PKCS#8 key of
/// another algorithm answers <c>private_key is not an RSA key</c>) and is stored re-encoded as PKCS#1 PEM. Corrections of the reference (which did not check the key's type and dropped the label): the service account's own <c>type</c> must be
/// <c>service_account</c>, and the label is stored.
/// </summary>
public static partial class VertexImport
{
    /// <summary>Location used when the request gives none.</summary>
    public const string DefaultLocation = "us-central1";

    /// <summary>An accepted import: file name, text, and the fields of the answer.</summary>
    public sealed record Credential(string FileName, string Json, string ProjectId, string Email, string Location);

    /// <summary>Builds the credential from the uploaded key text, or says why not.</summary>
    public static (Credential? Credential, Refusal? Refusal) Build(string serviceAccountJson, string? location)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(serviceAccountJson);
        }
        catch (System.Text.Json.JsonException error)
        {
            return (null, Refusals.InvalidJson(error.Message));
        }
        if (parsed is null) return (null, Refusals.InvalidServiceAccount("service account payload is empty"));
        if (parsed is not JsonObject sa) return (null, Refusals.InvalidJson("not a JSON object"));
        if ((string?)(sa["type"] as JsonValue) is { } type && type != "service_account")
            return (null, Refusals.InvalidServiceAccount($"type must be service_account, not {type}"));
        var (pem, problem) = NormalizePrivateKey(sa["private_key"] is JsonValue k && k.TryGetValue<string>(out var key) ? key : null);
        if (problem is not null) return (null, Refusals.InvalidServiceAccount(problem));
        var account = (JsonObject)sa.DeepClone();
        account["private_key"] = pem;
        var projectId = (sa["project_id"]?.ToString() ?? "").Trim();
        if (projectId.Length == 0) return (null, Refusals.ProjectIdMissing);
        var email = sa["client_email"] is JsonValue e && e.TryGetValue<string>(out var mail) ? mail : "";
        location = string.IsNullOrWhiteSpace(location) ? DefaultLocation : location.Trim();
        var file = new JsonObject
        {
            ["service_account"] = account,
            ["project_id"] = projectId,
            ["email"] = email,
            ["location"] = location,
            ["type"] = "vertex",
            ["label"] = email.Length > 0 ? $"{projectId} ({email})" : projectId,
        };
        var json = file.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        return (new Credential($"vertex-{FilePart(projectId)}.json", json, projectId, email, location), null);
    }

    /// <summary>The file-name part of a project id: trimmed, <c>/ \ :</c> → <c>_</c>, space → <c>-</c>; empty → <c>vertex</c>.</summary>
    public static string FilePart(string projectId)
    {
        var s = projectId.Trim().Replace('/', '_').Replace('\\', '_').Replace(':', '_').Replace(' ', '-');
        return s.Length == 0 ? "vertex" : s;
    }

    /// <summary>Cleans the key and re-encodes it as PKCS#1 PEM, or names the problem (the reference's messages).</summary>
    public static (string? Pem, string? Problem) NormalizePrivateKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return (null, "service account missing private_key");
        var text = AnsiEscape().Replace(key.Replace("\r\n", "\n").Replace('\r', '\n'), "").Trim();
        var begin = PemBegin().Match(text);
        var end = PemEnd().Match(text);
        if (!begin.Success || !end.Success || end.Index < begin.Index) return (null, "private_key is not valid pem: missing pem markers");
        var body = new string(text[(begin.Index + begin.Length)..end.Index].Where(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=').ToArray());
        if (body.Length == 0) return (null, "private_key base64 payload empty");
        byte[] der;
        try
        {
            der = Convert.FromBase64String(body);
        }
        catch (FormatException e)
        {
            return (null, "private_key base64 decode failed: " + e.Message);
        }
        using var rsa = RSA.Create();
        try
        {
            if (begin.Groups[1].Value == "RSA ") rsa.ImportRSAPrivateKey(der, out _);
            else rsa.ImportPkcs8PrivateKey(der, out _);
        }
        catch (CryptographicException e)
        {
            if (begin.Groups[1].Value == "RSA ") return (null, "private_key invalid rsa: " + e.Message);
            return (null, Pkcs8Algorithm(der) is { } oid && oid != RsaEncryption ? "private_key is not an RSA key" : "private_key invalid pkcs8: " + e.Message);
        }
        return (rsa.ExportRSAPrivateKeyPem() + "\n", null);
    }

    /// <summary>OID of <c>rsaEncryption</c> (RFC 8017).</summary>
    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <summary>
    /// The key algorithm of a well-formed PKCS#8 <c>PrivateKeyInfo</c> (RFC 5208:
    /// <c>SEQUENCE { version, SEQUENCE { algorithm OID, … }, privateKey OCTET STRING, … }</c>), or null.
    /// </summary>
    private static string? Pkcs8Algorithm(byte[] der)
    {
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            info.ReadInteger();
            var algorithm = info.ReadSequence().ReadObjectIdentifier();
            info.ReadOctetString();
            return algorithm;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\x1B\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"-----BEGIN (RSA )?PRIVATE KEY-----")]
    private static partial Regex PemBegin();

    [GeneratedRegex(@"-----END (RSA )?PRIVATE KEY-----")]
    private static partial Regex PemEnd();
}
