using CliProxy.Silo;

// Cluster silo host: run (default), migrate, import, export; see SiloCommandLine or --help.
return await SiloCommandLine.RunAsync(args, new SiloCommands(Console.Error), Console.Out, Console.Error);
