using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.AuthFiles;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Credentials;

/// <summary>
/// The first <see cref="ICredentialTokenSource"/>: the token stored in the credential's auth file, read
/// from its grain (<see cref="CredentialTokens"/> says which field). It does not refresh: an expired
/// token is returned as stored, until the credential's owner grain refreshes tokens (the login work
/// replaces this class then, behind the same interface).
/// </summary>
public sealed class AuthFileTokenSource(IGrainFactory grains) : ICredentialTokenSource
{
    /// <inheritdoc />
    public async Task<CredentialToken> GetAccessTokenAsync(string fileName, CancellationToken cancellationToken)
    {
        var content = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(fileName)).Get();
        return content is null ? CredentialToken.NotFound : CredentialToken.Of(CredentialTokens.AccessToken(content.Json));
    }
}
