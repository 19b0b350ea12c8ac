from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists, table_kind


class B2bReportAbstract(models.AbstractModel):
    """SQL-view report models of the suite.

    A report model sets ``_auto = False`` and returns its SELECT from ``_report_query()``.
    ``_materialized`` reports are PostgreSQL materialized views (with ``_report_indexes``),
    refreshed by ``_refresh_report()`` (crons and tests); the others are plain views,
    always current.
    """

    _name = "b2b.report.abstract"
    _description = "B2B Report (SQL view)"

    _materialized = False
    _report_indexes = ()
    # report models whose views are built on this one: (re)created after it
    _report_dependents = ()
    # report models this one is built on: created first (their init creates this one)
    _report_depends = ()

    def _report_query(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        if any(not table_kind(self.env.cr, self.env[model]._table) for model in self._report_depends):
            return  # the view this one reads is not there yet: its init creates this one after it
        drop_view_if_exists(self.env.cr, self._table)
        kind = SQL("MATERIALIZED VIEW") if self._materialized else SQL("VIEW")
        self.env.cr.execute(SQL("CREATE %s %s AS (%s)", kind, SQL.identifier(self._table), SQL(self._report_query())))
        if self._materialized:
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %s ON %s (id)",
                    SQL.identifier(f"{self._table}_id_uniq"),
                    SQL.identifier(self._table),
                )
            )
            for column in self._report_indexes:
                self.env.cr.execute(
                    SQL(
                        "CREATE INDEX %s ON %s (%s)",
                        SQL.identifier(f"{self._table}_{column}_idx"),
                        SQL.identifier(self._table),
                        SQL.identifier(column),
                    )
                )
        for model in self._report_dependents:
            self.env[model].init()

    @api.model
    def _refresh_report(self, concurrently=False):
        """Bring a materialized report up to date (flushes pending ORM writes first).
        ``concurrently`` keeps the old rows readable meanwhile (crons), at the cost of a slower refresh."""
        if self._materialized:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "REFRESH MATERIALIZED VIEW %s %s",
                    SQL("CONCURRENTLY") if concurrently else SQL(),
                    SQL.identifier(self._table),
                )
            )
        self.invalidate_model()
        return True
