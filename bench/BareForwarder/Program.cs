// Usage: dotnet CliProxy.BareForwarder.dll --urls http://127.0.0.1:<port> --upstream http://127.0.0.1:<port>/
// Every request is forwarded to --upstream with YARP's defaults; no logging, no other middleware.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();
var upstream = app.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream is required");
app.MapForwarder("/{**catch-all}", upstream);
app.Run();
