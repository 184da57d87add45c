"""Realistic synthetic resumes (Chinese and English) for benchmarks; deterministic by seed."""

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平"]
FIRST = ["James", "Mary", "John", "Linda", "Robert", "Emily", "David", "Sarah", "Daniel", "Anna"]
LAST = ["Smith", "Brown", "Wilson", "Taylor", "Clark", "Lewis", "Walker", "Young", "King"]
SKILLS = [
    "Python",
    "Django",
    "Go",
    "Java",
    "Spring Boot",
    "MySQL",
    "PostgreSQL",
    "Redis",
    "Kafka",
    "Docker",
    "Kubernetes",
    "React",
    "TypeScript",
    "Linux",
    "gRPC",
    "Elasticsearch",
]
COMPANIES_ZH = ["星云科技", "蓝海网络", "极光数据", "远航软件", "云帆信息"]
COMPANIES_EN = ["Acme Corp", "Globex", "Initech", "Umbrella Systems", "Hooli"]
SCHOOLS_ZH = ["浙江大学", "武汉大学", "华中科技大学", "四川大学", "南京大学"]
DEGREES_ZH = ["本科", "硕士", "大专"]


def chinese_resume(rng: random.Random, index: int) -> str:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    start = rng.randint(2008, 2020)
    skills = "、".join(rng.sample(SKILLS, 6))
    jobs = []
    year = start
    for _ in range(rng.randint(1, 3)):
        end = min(year + rng.randint(1, 4), 2025)
        jobs.append(
            f"{year}.{rng.randint(1, 12):02d}-{end}.{rng.randint(1, 12):02d} "
            f"{rng.choice(COMPANIES_ZH)} 后端开发工程师\n负责订单与支付系统的设计和开发，"
            f"带领 {rng.randint(2, 8)} 人团队完成服务拆分，接口延迟降低 {rng.randint(10, 60)}%。"
        )
        year = end
    return (
        f"姓名：{name}\n电话：138{index:08d}\n求职意向：后端开发工程师\n"
        f"教育背景\n{start - 4}-{start} {rng.choice(SCHOOLS_ZH)} "
        f"计算机科学 {rng.choice(DEGREES_ZH)}\n"
        f"工作经历\n" + "\n".join(jobs) + f"\n专业技能\n熟悉 {skills}，了解微服务与分布式系统。\n"
        f"项目经历\n项目名称：交易平台重构（{rng.randint(2018, 2024)}）\n项目名称：实时风控系统\n"
        f"自我评价\n学习能力强，有团队协作精神。编号 {index}\n"
    )


def english_resume(rng: random.Random, index: int) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    start = rng.randint(2008, 2020)
    skills = ", ".join(rng.sample(SKILLS, 6))
    return (
        f"{name}\nEmail: candidate{index}@example.com\n\nSUMMARY\nBackend engineer with "
        f"{2025 - start} years of experience.\n\nEXPERIENCE\n"
        f"Senior Software Engineer, {rng.choice(COMPANIES_EN)}  Mar {start + 3} – Present\n"
        f"- Led a team of {rng.randint(2, 9)} engineers building payment services.\n"
        f"- Cut p99 latency by {rng.randint(10, 60)}% with caching and query tuning.\n"
        f"Software Engineer, {rng.choice(COMPANIES_EN)}  Jun {start} – Feb {start + 3}\n"
        f"- Built REST APIs and data pipelines.\n\nEDUCATION\nB.Sc. Computer Science, "
        f"State University, {start - 4} – {start}\n\nSKILLS\n{skills}\n\nPROJECTS\n"
        f"Project: Order platform rewrite\nProject: Fraud detection service\nRef {index}\n"
    )


def make_resumes(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [chinese_resume(rng, i) if i % 2 == 0 else english_resume(rng, i) for i in range(count)]


BACKEND_CRITERIA = {
    "position": "后端开发工程师",
    "required_skills": ["Python", "Django", "PostgreSQL"],
    "optional_skills": ["Redis", "Kafka", "Docker", "Kubernetes"],
    "min_experience": 3,
    "education": ["本科", "硕士"],
    "certifications": [],
    "salary_range": [20000, 40000],
    "project_requirements": {"min_projects": 2, "team_lead_experience": True},
}
