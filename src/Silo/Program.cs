// Placeholder entry point: the lead engineer replaces this with the real silo host.
Console.Error.WriteLine("cluster silo host: not yet implemented");
return 1;
