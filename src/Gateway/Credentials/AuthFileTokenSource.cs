using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.AuthFiles;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Credentials;

/// <summary>
/// The <see cref="ICredentialTokenSource"/>: asks the credential's owner grain
/// (<see cref="IAuthFileGrain.GetAccessToken"/>), which returns the stored token (<see cref="CredentialTokens"/>
/// says which field for credentials without refresh) or refreshes an expiring OAuth token first, once for
/// every caller on every node.
/// </summary>
public sealed class AuthFileTokenSource(IGrainFactory grains) : ICredentialTokenSource
{
    /// <inheritdoc />
    public Task<CredentialToken> GetAccessTokenAsync(string fileName, CancellationToken cancellationToken) =>
        grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(fileName)).GetAccessToken();
}
