"""The starting catalogue (domain.md, Services): about twenty services with *demo* time limits, forms and
materials. Installed by the demo and the seed; afterwards the office edits them through the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from talentcloud.accounts.models import OrgUnit

from .catalogue import rule_of_lists
from .enums import FieldType, JointMode, LimitKind, Theme
from .models import Service, ServiceVersion

PDF_IMG = ["pdf", "jpg", "png"]


def _f(
    key: str, label: str, label_en: str, kind: str = FieldType.TEXT, required: bool = True, **kw: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "label_en": label_en,
        "type": kind,
        "required": required,
        "choices": kw.get("choices", []),
        "help": kw.get("help", ""),
        "sensitive": kw.get("sensitive", False),
    }


def _m(
    key: str,
    label: str,
    label_en: str,
    required: bool = True,
    count: int = 2,
    mb: int = 5,
    help: str = "",
) -> dict[str, Any]:
    """A material; ``help`` says what it must show (the guide's example sheet lists it)."""
    return {
        "key": key,
        "label": label,
        "label_en": label_en,
        "kinds": PDF_IMG,
        "max_count": count,
        "max_mb": mb,
        "required": required,
        "help": help,
    }


HOUSEHOLD = _f("household_size", "家庭人数", "Household size", FieldType.NUMBER)
ADDRESS = _f("address", "现居住地址", "Current address", sensitive=True)
BANK = _f("bank_account", "收款银行账号", "Bank account for payment", sensitive=True)
DEGREE_CERT = _m(
    "degree_certificate",
    "学历学位证书",
    "Degree certificate",
    help="最高学历的毕业证书和学位证书；境外学历另附教育部留学服务中心的学历学位认证书。",
)
CONTRACT = _m(
    "labour_contract",
    "劳动合同",
    "Employment contract",
    help="与区内用人单位签订、在有效期内的劳动合同，含首页、期限页和签章页。",
)

# Where each lead department receives applicants in person, and its enquiry line (demo values).
DESKS: dict[str, tuple[str, str]] = {
    "320115-ZZB": ("江宁区政务服务中心二楼人才服务专区 1 号窗口（演示地址）", "025-5210 1001"),
    "320115-RSJ": ("江宁区政务服务中心二楼人才服务专区 3 号窗口（演示地址）", "025-5210 1003"),
    "320115-KJJ": ("江宁区政务服务中心三楼企业服务专区 8 号窗口（演示地址）", "025-5210 1008"),
    "320115-GXJ": ("江宁区政务服务中心三楼企业服务专区 9 号窗口（演示地址）", "025-5210 1009"),
    "320115-ZJJ": ("江宁区政务服务中心二楼住房保障窗口（演示地址）", "025-5210 1005"),
    "320115-JYJ": ("江宁区教育局一楼入学服务窗口（演示地址）", "025-5210 1006"),
    "320115-WJW": ("江宁区政务服务中心二楼人才服务专区 4 号窗口（演示地址）", "025-5210 1004"),
    "320115-JRJ": ("江宁区政务服务中心三楼企业服务专区 10 号窗口（演示地址）", "025-5210 1010"),
}

# code, name, English name, lead department, joint departments, limit (kind, days or date), grades, quota,
# form fields, materials, for enterprises
CATALOGUE: list[dict[str, Any]] = [
    {
        "code": "housing-purchase-subsidy",
        "name": "人才购房补贴",
        "name_en": "Housing purchase subsidy",
        "theme": Theme.HOUSING,
        "basis": "江宁住建〔2024〕21号（演示）",
        "department": "320115-ZJJ",
        "joint": ["320115-CZJ"],
        "limit": (LimitKind.WORKING_DAYS, 20),
        "grades": ["A", "B", "C", "D", "E"],
        "fields": [
            _f("house_address", "所购住房地址", "Address of the home bought", sensitive=True),
            _f("contract_date", "购房合同签订日期", "Purchase contract date", FieldType.DATE),
            BANK,
        ],
        "materials": [
            _m(
                "purchase_contract",
                "购房合同",
                "Purchase contract",
                help="网签备案的商品房买卖合同全部页：买受人为申请人本人或配偶，写明房屋地址、面积、总价和签订日期。",
            ),
            DEGREE_CERT,
        ],
    },
    {
        "code": "rental-subsidy",
        "name": "人才租房补贴",
        "name_en": "Rental subsidy",
        "theme": Theme.HOUSING,
        "basis": "江宁人社〔2024〕8号（演示）",
        "department": "320115-ZJJ",
        "limit": (LimitKind.WORKING_DAYS, 10),
        "fields": [
            ADDRESS,
            _f("monthly_rent", "月租金（元）", "Monthly rent (yuan)", FieldType.NUMBER),
            BANK,
        ],
        "materials": [
            _m(
                "rental_contract",
                "租房合同",
                "Rental contract",
                help="在有效期内的房屋租赁合同：写明出租人、承租人（申请人）、房屋地址、月租金和租期，双方签字。",
            ),
            DEGREE_CERT,
        ],
    },
    {
        "code": "talent-apartment",
        "name": "人才公寓",
        "name_en": "Talent apartment",
        "theme": Theme.HOUSING,
        "basis": "江宁住建〔2024〕22号（演示）",
        "department": "320115-ZJJ",
        "limit": (LimitKind.FIXED_DATE, date(2027, 3, 31)),
        "fields": [
            HOUSEHOLD,
            _f("room_type", "户型意向", "Preferred flat", FieldType.CHOICE, choices=["一室", "两室", "三室"]),
        ],
        "materials": [CONTRACT],
    },
    {
        "code": "public-rental",
        "name": "公共租赁住房",
        "name_en": "Public rental housing",
        "theme": Theme.HOUSING,
        "basis": "《公共租赁住房管理办法》（住房和城乡建设部令第 11 号）",
        "department": "320115-ZJJ",
        "limit": (LimitKind.WORKING_DAYS, 20),
        "fields": [HOUSEHOLD, ADDRESS],
        "materials": [CONTRACT],
    },
    {
        "code": "school-place",
        "name": "人才子女入学",
        "name_en": "School place for a child",
        "theme": Theme.SCHOOLING,
        "basis": "江宁教〔2024〕15号（演示）",
        "department": "320115-JYJ",
        "limit": (LimitKind.FIXED_DATE, date(2027, 7, 31)),
        "grades": ["A", "B", "C"],
        "fields": [
            _f("child_name", "子女姓名", "Child's name", sensitive=True),
            _f("child_birth_date", "子女出生日期", "Child's birth date", FieldType.DATE, sensitive=True),
            _f(
                "school_stage",
                "入学阶段",
                "School stage",
                FieldType.CHOICE,
                choices=["幼儿园", "小学", "初中"],
            ),
        ],
        "materials": [
            _m("household_register", "户口簿", "Household register", help="户口簿首页、户主页和子女本人页。")
        ],
    },
    {
        "code": "medical-green-channel",
        "name": "就医绿色通道",
        "name_en": "Medical green channel",
        "theme": Theme.MEDICAL,
        "basis": "江宁卫健〔2024〕9号（演示）",
        "department": "320115-WJW",
        "limit": (LimitKind.WORKING_DAYS, 3),
        "grades": ["A", "B", "C", "D"],
        "fields": [
            _f("hospital", "意向医院", "Preferred hospital"),
            _f("department_wanted", "就诊科室", "Clinic"),
            _f("condition", "病情简述", "Condition", FieldType.TEXTAREA, sensitive=True),
        ],
        "materials": [],
    },
    {
        "code": "supplementary-medical",
        "name": "补充医疗保险",
        "name_en": "Supplementary medical insurance",
        "theme": Theme.MEDICAL,
        "basis": "江宁人社〔2024〕12号（演示）",
        "department": "320115-RSJ",
        "limit": (LimitKind.WORKING_DAYS, 15),
        "grades": ["A", "B", "C", "D"],
        "fields": [_f("insured_family", "参保家属人数", "Family members insured", FieldType.NUMBER)],
        "materials": [],
    },
    {
        "code": "health-check",
        "name": "人才年度体检",
        "name_en": "Annual health check",
        "theme": Theme.MEDICAL,
        "basis": "江宁人才〔2024〕5号（演示）",
        "department": "320115-WJW",
        "limit": (LimitKind.WORKING_DAYS, 10),
        "grades": ["A", "B", "C", "D", "E"],
        "quota": 200,
        "fields": [
            _f(
                "preferred_month",
                "意向体检月份",
                "Preferred month",
                FieldType.CHOICE,
                choices=["3 月", "4 月", "5 月", "9 月", "10 月"],
            )
        ],
        "materials": [],
    },
    {
        "code": "recuperation",
        "name": "人才疗养",
        "name_en": "Recuperation stay",
        "theme": Theme.MEDICAL,
        "basis": "江宁人才〔2024〕7号（演示）",
        "department": "320115-ZZB",
        "limit": (LimitKind.WORKING_DAYS, 10),
        "grades": ["A", "B", "C"],
        "quota": 40,
        "fields": [_f("period", "意向时段", "Preferred period", FieldType.CHOICE, choices=["春季", "秋季"])],
        "materials": [],
    },
    {
        "code": "spouse-employment",
        "name": "人才配偶就业",
        "name_en": "Employment for a spouse",
        "theme": Theme.EMPLOYMENT,
        "basis": "江宁人社〔2024〕10号（演示）",
        "department": "320115-RSJ",
        "limit": (LimitKind.WORKING_DAYS, 20),
        "fields": [
            _f("spouse_name", "配偶姓名", "Spouse's name", sensitive=True),
            _f("spouse_education", "配偶学历", "Spouse's education"),
            _f("wanted_job", "意向岗位", "Job wanted"),
        ],
        "materials": [
            _m(
                "marriage_certificate",
                "结婚证",
                "Marriage certificate",
                help="结婚证持证人页和登记页，双方姓名、登记日期清晰可辨。",
            )
        ],
    },
    {
        "code": "residence-settlement",
        "name": "人才落户",
        "name_en": "Residence registration",
        "theme": Theme.EMPLOYMENT,
        "basis": "《南京市户籍准入管理办法》（演示引用）",
        "department": "320115-RSJ",
        "joint": ["320115-SJJ"],
        "joint_mode": JointMode.SEQUENCE,
        "limit": (LimitKind.WORKING_DAYS, 15),
        "fields": [_f("move_from", "迁出地", "Moving from")],
        "materials": [DEGREE_CERT, CONTRACT],
    },
    {
        "code": "foreigner-work-permit",
        "name": "外国人工作许可",
        "name_en": "Work permit for foreigners",
        "theme": Theme.EMPLOYMENT,
        "basis": "《外国人在中国就业管理规定》",
        "department": "320115-KJJ",
        "limit": (LimitKind.WORKING_DAYS, 10),
        "fields": [
            _f("passport_country", "护照国籍", "Passport country"),
            _f("job_title", "拟聘岗位", "Post offered"),
        ],
        "materials": [
            _m("passport", "护照", "Passport", help="护照个人信息页和最近一次入境签证页。"),
            CONTRACT,
        ],
    },
    {
        "code": "talent-certification",
        "name": "人才认定",
        "name_en": "Talent certification",
        "theme": Theme.CERTIFICATION,
        "basis": "宁委人才〔2024〕1号（演示）",
        "department": "320115-ZZB",
        "joint": ["320115-RSJ"],
        "limit": (LimitKind.WORKING_DAYS, 20),
        "fields": [
            _f(
                "grade",
                "申请认定等级",
                "Grade applied for",
                FieldType.CHOICE,
                choices=["A", "B", "C", "D", "E", "F"],
                help="按分类标准申请的人才认定等级（A 类最高）；认定通过后即为您的认定等级。",
            ),
            _f("achievements", "主要业绩", "Main achievements", FieldType.TEXTAREA),
        ],
        "materials": [
            DEGREE_CERT,
            _m(
                "awards",
                "获奖证明",
                "Awards",
                required=False,
                count=5,
                help="省部级以上奖项的获奖证书或文件，写明获奖人、奖项名称、等级和年份。",
            ),
        ],
    },
    {
        "code": "living-allowance",
        "name": "高校毕业生生活补贴",
        "name_en": "Living allowance for graduates",
        "theme": Theme.EMPLOYMENT,
        "basis": "江宁人社〔2024〕8号（演示）",
        "department": "320115-RSJ",
        "joint": ["320115-CZJ"],
        "limit": (LimitKind.WORKING_DAYS, 20),
        "fields": [_f("graduated_on", "毕业时间", "Graduation date", FieldType.DATE), BANK],
        "materials": [
            DEGREE_CERT,
            _m(
                "social_insurance",
                "社保缴纳证明",
                "Social-insurance record",
                help="区人社部门出具或网上打印的社会保险缴费明细，显示缴费单位和连续缴费月份。",
            ),
        ],
    },
    {
        "code": "talent-card",
        "name": "紫金山英才卡",
        "name_en": "Zijinshan talent card",
        "theme": Theme.LIFE,
        "basis": "宁委人才〔2024〕3号（演示）",
        "department": "320115-ZZB",
        "limit": (LimitKind.CALENDAR_DAYS, 15),
        "grades": ["A", "B", "C", "D"],
        "fields": [],
        "materials": [],
    },
    {
        "code": "entrepreneur-loan",
        "name": "人才创业贷款贴息",
        "name_en": "Start-up loan interest subsidy",
        "theme": Theme.STARTUP,
        "basis": "江宁金融〔2024〕4号（演示）",
        "department": "320115-JRJ",
        "joint": ["320115-CZJ"],
        "limit": (LimitKind.WORKING_DAYS, 20),
        "enterprise": True,
        "fields": [
            _f("loan_amount", "贷款金额（万元）", "Loan (10k yuan)", FieldType.NUMBER),
            _f("bank", "贷款银行", "Lending bank"),
        ],
        "materials": [
            _m(
                "loan_contract",
                "贷款合同",
                "Loan contract",
                help="与银行签订的贷款合同和放款凭证：写明借款企业、金额、利率、期限。",
            )
        ],
    },
    {
        "code": "office-rent-subsidy",
        "name": "人才企业办公用房补贴",
        "name_en": "Office rent subsidy for talent enterprises",
        "theme": Theme.STARTUP,
        "basis": "江宁科〔2024〕18号（演示）",
        "department": "320115-KJJ",
        "limit": (LimitKind.WORKING_DAYS, 20),
        "enterprise": True,
        "fields": [_f("floor_area", "面积（平方米）", "Floor area (m²)", FieldType.NUMBER)],
        "materials": [
            _m(
                "lease",
                "租赁合同",
                "Lease",
                help="办公用房租赁合同和最近一期租金发票，写明地址、面积、租期和租金。",
            )
        ],
    },
    {
        "code": "rd-grant",
        "name": "研发费用补助",
        "name_en": "R&D spending grant",
        "theme": Theme.STARTUP,
        "basis": "江宁科〔2025〕7号（演示）",
        "department": "320115-KJJ",
        "joint": ["320115-CZJ"],
        "limit": (LimitKind.WORKING_DAYS, 30),
        "enterprise": True,
        "fields": [
            _f("rd_spend", "上年度研发投入（万元）", "R&D spend last year (10k yuan)", FieldType.NUMBER)
        ],
        "materials": [
            _m(
                "audit_report",
                "专项审计报告",
                "Audit report",
                help="会计师事务所出具的上年度研发费用专项审计报告全文，含事务所签章。",
            )
        ],
    },
    {
        "code": "parking-pass",
        "name": "园区人才停车证",
        "name_en": "Park parking pass",
        "theme": Theme.LIFE,
        "basis": "江宁工信〔2024〕6号（演示）",
        "department": "320115-GXJ",
        "limit": (LimitKind.CALENDAR_DAYS, 7),
        "fields": [_f("plate", "车牌号", "Number plate")],
        "materials": [],
    },
    {
        "code": "policy-consultation",
        "name": "人才政策咨询",
        "name_en": "Policy consultation",
        "theme": Theme.GENERAL,
        "basis": "宁委人才〔2024〕1号（演示）",
        "department": "320115-ZZB",
        "limit": (LimitKind.WORKING_DAYS, 5),
        "fields": [_f("question", "咨询内容", "Question", FieldType.TEXTAREA)],
        "materials": [],
    },
    {
        # The talent's own application for the pioneer start-up grant (先锋计划创业资助); the loan interest
        # subsidy above is the enterprise's, a different service.
        "code": "pioneer-startup-grant",
        "name": "先锋计划创业资助申领",
        "name_en": "Pioneer-programme start-up grant",
        "theme": Theme.STARTUP,
        "basis": "宁委人才〔2024〕1号（演示）",
        "department": "320115-KJJ",
        "joint": ["320115-CZJ"],
        "limit": (LimitKind.WORKING_DAYS, 20),
        "fields": [
            _f("venture_name", "创办企业名称", "Name of the venture"),
            _f("venture_plan", "项目简介", "The venture in brief", FieldType.TEXTAREA),
            BANK,
        ],
        "materials": [
            _m(
                "business_licence",
                "营业执照",
                "Business licence",
                help="所创办企业的营业执照副本，注册地在江宁区，申请人为法定代表人或主要股东。",
            ),
            _m(
                "selection_notice",
                "先锋计划入选文件",
                "Pioneer-programme selection notice",
                help="紫金山英才先锋计划入选通知或公示文件，载明申请人姓名和入选批次。",
            ),
        ],
    },
]


def catalogue_install() -> int:
    """Create the services that do not exist yet (existing ones are the office's and are left alone)."""
    units = {u.code: u for u in OrgUnit.objects.filter(kind="department")}
    created = 0
    with transaction.atomic():
        for order, item in enumerate(CATALOGUE):
            if Service.objects.filter(code=item["code"]).exists():
                continue
            kind, limit = item["limit"]
            service = Service.objects.create(
                code=item["code"],
                name=item["name"],
                name_en=item["name_en"],
                department=units[item["department"]],
                joint_mode=item.get("joint_mode", JointMode.PARALLEL),
                eligibility=rule_of_lists(grades=item.get("grades", [])),
                quota_per_year=item.get("quota"),
                for_enterprises=item.get("enterprise", False),
                theme=item.get("theme", Theme.GENERAL),
                place=DESKS.get(item["department"], DESKS["320115-ZZB"])[0],
                phone=DESKS.get(item["department"], DESKS["320115-ZZB"])[1],
                legal_basis=item.get("basis", ""),
                sort_order=order,
                faq="问：办理需要多久？\n答：承诺时限自受理次日起计算，补正期间不计入。",
            )
            service.co_departments.set([units[c] for c in item.get("joint", [])])
            version = ServiceVersion.objects.create(
                service=service,
                number=1,
                form_fields=item["fields"],
                materials=item["materials"],
                limit_kind=kind,
                limit_days=None if kind == LimitKind.FIXED_DATE else limit,
                limit_date=limit if kind == LimitKind.FIXED_DATE else None,
            )
            service.current = version
            service.save(update_fields=["current"])
            created += 1
    return created
