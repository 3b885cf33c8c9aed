package org.pupildata.neo4jdev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs embedded Neo4j as one or more Bolt servers on 127.0.0.1 until the process is killed.
 *
 * <p>Usage: {@code Launcher <neo4j.conf> <home-dir> <bolt-port> [<home-dir> <bolt-port> ...]}. Each pair is a
 * server of its own (its own data, its own port), all in this one JVM: a test run needs several, and one JVM
 * loads and compiles Neo4j's code once for all of them, where a JVM each would do it once each on the same
 * two cores. Authentication is off because the servers only listen on loopback and live for one test run; the
 * home directories are the caller's to delete. The configuration file (tools/neo4j-dev/neo4j.conf) sizes
 * memory for the machine; the settings below, which make these loopback development servers, win over it.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 3 || args.length % 2 == 0) {
      System.err.println("usage: Launcher <neo4j.conf> <home-dir> <bolt-port> [<home-dir> <bolt-port> ...]");
      System.exit(2);
    }
    Path conf = Path.of(args[0]);
    List<DatabaseManagementService> services = new CopyOnWriteArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> services.forEach(DatabaseManagementService::shutdown), "neo4j-shutdown"));
    for (int i = 1; i < args.length; i += 2) {
      int port = Integer.parseInt(args[i + 1]);
      try {
        services.add(start(Path.of(args[i]).toAbsolutePath(), port, conf));
      } catch (RuntimeException failed) {
        // the servers already started would keep the JVM up, and their caller waiting for this one's port;
        // halted, not exited: exit's hook shut them down cleanly first, 10 of the 14 s a failed start took
        // (Neo4j recovers what a halt leaves in their homes, which are the caller's to start again or delete)
        System.err.println("neo4j-dev: the server on 127.0.0.1:" + port + " did not start: " + failed);
        Runtime.getRuntime().halt(1);
      }
      System.out.println("neo4j-dev: bolt listening on 127.0.0.1:" + port);
      System.out.flush();
    }
    Thread.currentThread().join();
  }

  private static DatabaseManagementService start(Path home, int port, Path conf) {
    return new DatabaseManagementServiceBuilder(home)
        .loadPropertiesFromFile(conf)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
        .build();
  }
}
