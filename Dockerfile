# Builds the silo host and the gateway into one runtime image (start either with its command).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo -c Release -o /app/silo \
 && dotnet publish src/Gateway -c Release -o /app/gateway

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app /app
EXPOSE 8317 11111 30000
