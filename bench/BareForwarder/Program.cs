// Usage: dotnet CliProxy.BareForwarder.dll --urls http://127.0.0.1:<port> --upstream http://127.0.0.1:<port>/
// Every request is forwarded to --upstream with YARP's defaults; no logging, no other middleware. GET /_allocated (not
// forwarded) answers the bytes this process allocated so far, for the benchmark's allocation per request.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();
var upstream = app.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream is required");
app.MapGet("/_allocated", () => GC.GetTotalAllocatedBytes().ToString(System.Globalization.CultureInfo.InvariantCulture));
app.MapForwarder("/{**catch-all}", upstream);
app.Run();
