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

from desktop.plant.run_time import HistorianRunTime
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
from desktop.services.pm.pm_compliance import ScheduledPmCompliance
from desktop.services.pm.pm_planning import PMPlanningService
from desktop.services.pm.pm_schedules import PMScheduleService
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_master import MasterDataService
from desktop.services.stock.purchasing import PurchasingService

if TYPE_CHECKING:
    from datetime import datetime

    from ui.context import AppContext


class Services:
    """Every service of one context, built on first use."""

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self.db = context.db

    def clock(self) -> datetime:
        """The context's clock as it is now (tests and the display may replace it)."""
        return self._context.clock()

    @cached_property
    def alarms(self) -> AlarmService:
        return AlarmService(self.db, self.clock)

    @cached_property
    def asset_files(self) -> AssetFileService:
        return AssetFileService(self.db, self.clock)

    @cached_property
    def asset_history(self) -> AssetHistoryService:
        return AssetHistoryService(self.db, self.clock)

    @cached_property
    def asset_parts(self) -> AssetPartsService:
        return AssetPartsService(self.db, self.clock)

    @cached_property
    def assets(self) -> AssetService:
        return AssetService(self.db, self.clock)

    @cached_property
    def board(self) -> BoardService:
        return BoardService(self.db)

    @cached_property
    def checklist_templates(self) -> ChecklistTemplateService:
        return ChecklistTemplateService(self.db, self.clock)

    @cached_property
    def inventory(self) -> InventoryService:
        return InventoryService(self.db, self.clock)

    @cached_property
    def kpi(self) -> KpiService:
        """With the PM schedules' compliance and the historian's running hours."""
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
        return LockoutService(self.db, self.clock, read_tag=self._context.read_tag)

    @cached_property
    def master_data(self) -> MasterDataService:
        return MasterDataService(self.db, self.clock)

    @cached_property
    def meters(self) -> MeterService:
        return MeterService(self.db, self.clock)

    @cached_property
    def notifications(self) -> NotificationService:
        return NotificationService(self.db, self.clock)

    @cached_property
    def plant_tags(self) -> PlantTagService:
        return PlantTagService(self.db, self.clock)

    @cached_property
    def pm_planning(self) -> PMPlanningService:
        return PMPlanningService(self.db, self.clock)

    @cached_property
    def pm_schedules(self) -> PMScheduleService:
        return PMScheduleService(self.db, self.clock)

    @cached_property
    def purchasing(self) -> PurchasingService:
        return PurchasingService(self.db, self.clock)

    @cached_property
    def site_calendar(self) -> SiteCalendarService:
        return SiteCalendarService(self.db, self.clock)

    @cached_property
    def users(self) -> UserService:
        return UserService(self.db, self.clock)

    @cached_property
    def work_orders(self) -> WorkOrderService:
        return WorkOrderService(self.db, self.clock)
