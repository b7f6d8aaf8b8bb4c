"""Jiangning reference data for the seed: real units, streets, parks, roads and industry chains.

All of it is editable in the running system; this file only fills a new database.
"""

from __future__ import annotations

DISTRICT = ("320115", "南京市江宁区", "Jiangning District, Nanjing")

# (code, name, English name)
DEPARTMENTS = [
    ("320115-ZZB", "区委组织部（人才办）", "Organisation Department (Talent Office)"),
    ("320115-RSJ", "区人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("320115-KJJ", "区科学技术局", "Science and Technology Bureau"),
    ("320115-GXJ", "区工业和信息化局", "Industry and Information Technology Bureau"),
    ("320115-FGW", "区发展和改革委员会", "Development and Reform Commission"),
    ("320115-CZJ", "区财政局", "Finance Bureau"),
    ("320115-ZJJ", "区住房和城乡建设局（房产）", "Housing and Urban-Rural Development Bureau"),
    ("320115-JYJ", "区教育局", "Education Bureau"),
    ("320115-WJW", "区卫生健康委员会", "Health Commission"),
    ("320115-SWJ", "区商务局", "Commerce Bureau"),
    ("320115-JRJ", "区地方金融监督管理局", "Local Financial Supervision Bureau"),
    ("320115-SJJ", "区市场监督管理局", "Market Supervision Bureau"),
]

PARKS = [
    ("320115-P-KFQ", "江宁经济技术开发区", "Jiangning Economic and Technological Development Zone"),
    ("320115-P-GXQ", "江宁高新技术产业开发区", "Jiangning High-tech Industrial Development Zone"),
    ("320115-P-BJ", "江宁滨江经济开发区", "Jiangning Binjiang Economic Development Zone"),
    ("320115-P-KG", "南京空港经济开发区", "Nanjing Airport Economic Development Zone"),
    ("320115-P-WLKJC", "江宁未来科技城", "Jiangning Future Science and Technology City"),
]

# Streets with a few real roads in each, used for synthetic addresses.
STREETS = [
    ("320115-S-DS", "东山街道", "Dongshan Subdistrict", ["竹山路", "上元大街", "金箔路", "天元中路"]),
    ("320115-S-ML", "秣陵街道", "Moling Subdistrict", ["胜太路", "秣周东路", "双龙大道", "格致路"]),
    ("320115-S-TS", "汤山街道", "Tangshan Subdistrict", ["温泉路", "汤泉东路", "圣汤大道"]),
    ("320115-S-CH", "淳化街道", "Chunhua Subdistrict", ["淳化大道", "宁杭公路", "青龙大道"]),
    ("320115-S-LK", "禄口街道", "Lukou Subdistrict", ["机场路", "空港大道", "禄口路"]),
    ("320115-S-JN", "江宁街道", "Jiangning Subdistrict", ["滨江大道", "江宁路", "牧龙路"]),
    ("320115-S-GL", "谷里街道", "Guli Subdistrict", ["谷里大道", "周村路"]),
    ("320115-S-HS", "湖熟街道", "Hushu Subdistrict", ["湖熟大道", "龙都路"]),
    ("320115-S-HX", "横溪街道", "Hengxi Subdistrict", ["横溪大道", "丹阳路"]),
    ("320115-S-QL", "麒麟街道", "Qilin Subdistrict", ["麒麟大道", "智识路", "启迪大街"]),
]

# Which streets each park mainly lies in (enterprises of a park get one of these streets).
PARK_STREETS = {
    "320115-P-KFQ": ["320115-S-ML", "320115-S-DS"],
    "320115-P-GXQ": ["320115-S-ML", "320115-S-DS"],
    "320115-P-BJ": ["320115-S-JN"],
    "320115-P-KG": ["320115-S-LK"],
    "320115-P-WLKJC": ["320115-S-QL", "320115-S-DS"],
}

CHAINS = [
    ("software", "软件和信息服务", "Software and information services"),
    ("nev", "新能源汽车", "New-energy vehicles"),
    ("biomed", "新医药与生命健康", "New medicine and life health"),
    ("ic", "集成电路", "Integrated circuits"),
    ("ai", "人工智能", "Artificial intelligence"),
    ("smart-grid", "智能电网", "Smart grid"),
    ("rail", "轨道交通", "Rail transit"),
    ("smart-mfg", "智能制造装备", "Intelligent manufacturing equipment"),
]

ENTERPRISE_WORDS = [
    "华瑞",
    "宁芯",
    "金陵",
    "紫峰",
    "方山",
    "牛首",
    "秦淮",
    "天元",
    "星火",
    "云帆",
    "博远",
    "聚能",
    "启明",
    "恒通",
    "智行",
    "中科",
    "润泽",
    "凯创",
    "卓越",
    "汇智",
]
CHAIN_SUFFIX = {
    "software": ["软件", "信息技术", "数据科技"],
    "nev": ["新能源汽车", "动力电池", "汽车电子"],
    "biomed": ["生物医药", "医疗器械", "生命科技"],
    "ic": ["微电子", "半导体", "集成电路设计"],
    "ai": ["智能科技", "机器人", "视觉技术"],
    "smart-grid": ["电力科技", "智能电气", "能源技术"],
    "rail": ["轨道交通装备", "交通科技"],
    "smart-mfg": ["智能装备", "精密机械", "自动化"],
}

POSTS = [
    "首席科学家",
    "研发总监",
    "高级工程师",
    "算法工程师",
    "产品经理",
    "技术总监",
    "博士后研究员",
    "工艺工程师",
    "创始人",
    "项目负责人",
]

# Area codes for synthetic ID numbers: most talents from Nanjing and Jiangsu, others from across China.
ID_AREA_CODES = [
    ("320115", 30),
    ("320102", 5),
    ("320104", 5),
    ("320106", 5),
    ("320114", 4),
    ("320113", 4),
    ("320111", 3),
    ("320205", 3),
    ("320583", 3),
    ("321002", 2),
    ("110105", 4),
    ("310115", 4),
    ("420111", 4),
    ("330106", 4),
    ("440305", 3),
    ("510107", 3),
    ("610113", 3),
    ("370102", 3),
    ("430104", 3),
    ("340104", 5),
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "191",
    "199",
]
