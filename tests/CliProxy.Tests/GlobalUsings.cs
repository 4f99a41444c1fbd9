global using CliProxy.Tests.Support;
global using Xunit;
