using CliProxy.Harness;

// deploy/local-cluster.sh's PostgreSQL, from the same code as the tests' and the benchmark's:
//   postgres start <folder>   initdb + pg_ctl start on a free loopback port in <folder>; prints the
//                             connection string of a fresh database; the server keeps running
//   postgres stop <folder>    stops it (pg_ctl stop -m fast)
switch (args)
{
    case ["postgres", "start", var folder]:
        var server = new ThrowawayPostgres(externalServerVariable: null);
        await server.StartAsync(folder);
        Console.WriteLine(server.ConnectionString);
        return 0;
    case ["postgres", "stop", var folder]:
        await ThrowawayPostgres.StopDetachedAsync(folder);
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: CliProxy.Harness postgres start|stop <folder>");
        return 2;
}
