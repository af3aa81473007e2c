"""The one place that builds the services the desktop app's panels use.

Panels used to build their own (about fifty constructions), some without the shared clock, so
a panel could date a record with the wall clock while the rest of the window used the test's
or the site's. Each service here is built once per logged-in context with its database and the
context's clock (read at every call, so a clock swapped later still reaches every service).
The services keep no state between calls (each opens its own session per unit of work), so one
instance serves the GUI thread and background jobs alike.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.services.admin.notifications import NotificationService
    from desktop.services.admin.users import UserService
    from desktop.services.analytics.asset_history import AssetHistoryService
    from desktop.services.analytics.kpi import KpiService
    from desktop.services.assets.asset_files import AssetFileService
    from desktop.services.assets.asset_parts import AssetPartsService
    from desktop.services.assets.assets import AssetService
    from desktop.services.assets.meters import MeterService
    from desktop.services.assets.site_calendar import SiteCalendarService
    from desktop.services.condition.alarms import AlarmService
    from desktop.services.condition.plant_tags import PlantTagService
    from desktop.services.orders.board import BoardService
    from desktop.services.orders.checklist_templates import ChecklistTemplateService
    from desktop.services.orders.lockout import LockoutService
    from desktop.services.orders.work_orders import WorkOrderService
    from desktop.services.pm.pm_planning import PMPlanningService
    from desktop.services.pm.pm_schedules import PMScheduleService
    from desktop.services.stock.inventory import InventoryService
    from desktop.services.stock.inventory_master import MasterDataService
    from desktop.services.stock.purchasing import PurchasingService
    from ui.context import AppContext


class Services:
    """Every service of one context, built on first use.

    Each service module is imported on first use too: the start reads the board long before
    anybody opens the KPIs (pandas) or the alarms, and importing them all took 0.4 s.
    """

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self.db = context.db

    def clock(self) -> datetime:
        """The context's clock as it is now (tests and the display may replace it)."""
        return self._context.clock()

    @cached_property
    def alarms(self) -> AlarmService:
        from desktop.services.condition.alarms import AlarmService

        return AlarmService(self.db, self.clock)

    @cached_property
    def asset_files(self) -> AssetFileService:
        from desktop.services.assets.asset_files import AssetFileService

        return AssetFileService(self.db, self.clock)

    @cached_property
    def asset_history(self) -> AssetHistoryService:
        from desktop.services.analytics.asset_history import AssetHistoryService

        return AssetHistoryService(self.db, self.clock)

    @cached_property
    def asset_parts(self) -> AssetPartsService:
        from desktop.services.assets.asset_parts import AssetPartsService

        return AssetPartsService(self.db, self.clock)

    @cached_property
    def assets(self) -> AssetService:
        from desktop.services.assets.assets import AssetService

        return AssetService(self.db, self.clock)

    @cached_property
    def board(self) -> BoardService:
        from desktop.services.orders.board import BoardService

        return BoardService(self.db)

    @cached_property
    def checklist_templates(self) -> ChecklistTemplateService:
        from desktop.services.orders.checklist_templates import ChecklistTemplateService

        return ChecklistTemplateService(self.db, self.clock)

    @cached_property
    def inventory(self) -> InventoryService:
        from desktop.services.stock.inventory import InventoryService

        return InventoryService(self.db, self.clock)

    @cached_property
    def kpi(self) -> KpiService:
        """With the PM schedules' compliance and the historian's running hours.

        Imported here: the KPIs load pandas (0.3 s), which the board a start shows never needs.
        """
        from desktop.plant.run_time import HistorianRunTime
        from desktop.services.analytics.kpi import KpiService
        from desktop.services.pm.pm_compliance import ScheduledPmCompliance

        return KpiService(
            self.db,
            self.clock,
            pm_compliance=ScheduledPmCompliance(self.db),
            running_hours=HistorianRunTime(self.db),
        )

    @property
    def lockout(self) -> LockoutService:
        """With the plant's live reader when the app has a plant link (verification reads
        the point's tag); built per use, since the link starts after the services."""
        from desktop.services.orders.lockout import LockoutService

        return LockoutService(self.db, self.clock, read_tag=self._context.read_tag)

    @cached_property
    def master_data(self) -> MasterDataService:
        from desktop.services.stock.inventory_master import MasterDataService

        return MasterDataService(self.db, self.clock)

    @cached_property
    def meters(self) -> MeterService:
        from desktop.services.assets.meters import MeterService

        return MeterService(self.db, self.clock)

    @cached_property
    def notifications(self) -> NotificationService:
        from desktop.services.admin.notifications import NotificationService

        return NotificationService(self.db, self.clock)

    @cached_property
    def plant_tags(self) -> PlantTagService:
        from desktop.services.condition.plant_tags import PlantTagService

        return PlantTagService(self.db, self.clock)

    @cached_property
    def pm_planning(self) -> PMPlanningService:
        from desktop.services.pm.pm_planning import PMPlanningService

        return PMPlanningService(self.db, self.clock)

    @cached_property
    def pm_schedules(self) -> PMScheduleService:
        from desktop.services.pm.pm_schedules import PMScheduleService

        return PMScheduleService(self.db, self.clock)

    @cached_property
    def purchasing(self) -> PurchasingService:
        from desktop.services.stock.purchasing import PurchasingService

        return PurchasingService(self.db, self.clock)

    @cached_property
    def site_calendar(self) -> SiteCalendarService:
        from desktop.services.assets.site_calendar import SiteCalendarService

        return SiteCalendarService(self.db, self.clock)

    @cached_property
    def users(self) -> UserService:
        from desktop.services.admin.users import UserService

        return UserService(self.db, self.clock)

    @cached_property
    def work_orders(self) -> WorkOrderService:
        from desktop.services.orders.work_orders import WorkOrderService

        return WorkOrderService(self.db, self.clock)
