using System.Net;
using System.Net.Sockets;

namespace CliProxy.Tests.Cluster;

/// <summary>Finds TCP ports that are free on the loopback interface.</summary>
internal static class LoopbackPort
{
    /// <summary>Returns a port that was free a moment ago (callers retry if it is taken meanwhile).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
