namespace CliProxy.Grains.OAuth.Flows;

/// <summary>Keys of <see cref="OAuthFlowContext.Data"/> shared by several flows.</summary>
public static class FlowData
{
    /// <summary>The PKCE verifier.</summary>
    public const string Verifier = "code_verifier";

    /// <summary>The requested Gemini project (<c>project_id</c> of the start route).</summary>
    public const string ProjectId = "project_id";
}
