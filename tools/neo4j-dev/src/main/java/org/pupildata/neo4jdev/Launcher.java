package org.pupildata.neo4jdev;

import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs embedded Neo4j as a Bolt server on 127.0.0.1 until the process is killed.
 *
 * <p>Usage: {@code Launcher <home-dir> <bolt-port> [neo4j.conf]}. Authentication is off because the server
 * only listens on loopback and lives for one test run; the home directory is the caller's to delete. The
 * optional configuration file (tools/neo4j-dev/neo4j.conf) sizes memory for the machine; the settings below,
 * which make this a loopback development server, win over it.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: Launcher <home-dir> <bolt-port> [neo4j.conf]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
    if (args.length == 3) {
      builder.loadPropertiesFromFile(Path.of(args[2]));
    }
    DatabaseManagementService service =
        builder
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
            .build();
    Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "neo4j-shutdown"));
    System.out.println("neo4j-dev: bolt listening on 127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
  }
}
