# Builds and runs the hub. Used by docker-compose.yml (PostgreSQL + the hub).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/line-notification-hub.jar /app/line-notification-hub.jar
COPY config /app/config
COPY routes /app/routes
ENV HUB_DATA_DIR=/app/data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/line-notification-hub.jar"]
