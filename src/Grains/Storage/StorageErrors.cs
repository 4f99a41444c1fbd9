using System.Data.Common;

namespace CliProxy.Grains;

/// <summary>Classifies storage failures.</summary>
public static class StorageErrors
{
    /// <summary>
    /// True when the store could not be reached (a database connection or command failure, a
    /// timeout), as opposed to a refused or conflicting write: the caller may try again later.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        DbException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}
