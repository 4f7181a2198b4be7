# STAND-IN for offline tests; not the Datadog Agent. The mysql integration, small but real: it
# logs in with the instance's host/port (TCP) or sock, username and password through PyMySQL,
# reads SHOW GLOBAL STATUS and, like the real check, InnoDB status (needs PROCESS) and
# performance_schema (needs SELECT on it). A wrong password or a missing grant shows up here.
from datadog_checks.base import AgentCheck

__version__ = "standin-mysql-1.0"

STATUS = {
    "Connections": ("rate", "mysql.net.connections"),
    "Queries": ("rate", "mysql.performance.queries"),
    "Questions": ("rate", "mysql.performance.questions"),
    "Threads_connected": ("gauge", "mysql.performance.threads_connected"),
    "Threads_running": ("gauge", "mysql.performance.threads_running"),
    "Open_files": ("gauge", "mysql.performance.open_files"),
    "Slow_queries": ("rate", "mysql.performance.slow_queries"),
    "Uptime": ("gauge", "mysql.performance.uptime"),
}


class MySql(AgentCheck):
    def check(self, instance):
        import pymysql  # python3-pymysql; imported here so other checks run without it

        host = instance.get("host") or instance.get("server")
        sock = instance.get("sock")
        port = int(instance.get("port") or 3306)
        user = instance.get("username") or instance.get("user")
        password = instance.get("password") or instance.get("pass") or ""
        options = instance.get("options") or {}
        tags = list(instance.get("tags") or [])
        target = "socket %s" % sock if sock else "%s:%d" % (host, port)
        sc_tags = tags + (["port:unix_socket"] if sock else ["server:%s" % host, "port:%d" % port])
        try:
            kwargs = {"user": user, "password": password, "connect_timeout": 5}
            kwargs.update({"unix_socket": sock} if sock else {"host": host, "port": port})
            conn = pymysql.connect(**kwargs)
        except Exception as exc:  # noqa: BLE001
            self.service_check("mysql.can_connect", AgentCheck.CRITICAL, tags=sc_tags, message=str(exc))
            raise Exception("Error establishing connection to %s as %s: %s" % (target, user, exc))
        self.service_check("mysql.can_connect", AgentCheck.OK, tags=sc_tags)
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW GLOBAL STATUS")
                status = dict(cur.fetchall())
                for key, (kind, metric) in STATUS.items():
                    if key in status:
                        getattr(self, kind)(metric, float(status[key]), tags=tags)
                if not options.get("disable_innodb_metrics", False):
                    try:
                        cur.execute("SHOW /*!50000 ENGINE*/ INNODB STATUS")
                        cur.fetchall()
                        self.gauge("mysql.innodb.buffer_pool_total",
                                   float(status.get("Innodb_buffer_pool_pages_total", 0)), tags=tags)
                    except pymysql.err.MySQLError as exc:
                        self.warning("Privilege error or engine unavailable accessing the INNODB status "
                                     "(GRANT PROCESS ON *.* TO the user): %s", exc)
                try:
                    cur.execute("SELECT COUNT(*) FROM performance_schema.threads")
                    cur.fetchall()
                except pymysql.err.MySQLError as exc:
                    self.warning("Unable to read performance_schema "
                                 "(GRANT SELECT ON performance_schema.* TO the user): %s", exc)
        finally:
            conn.close()
