global using CliProxy.Harness;
global using CliProxy.Tests.Support;
global using Xunit;
