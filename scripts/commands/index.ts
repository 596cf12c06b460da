/**
 * Every `dangjian` command, in the order --help lists them, with the module that defines it. A
 * module is loaded only when its command runs, so `dangjian --help` and `dangjian validate` do not
 * pay for the AWS SDK, the emulators or the PDF renderer.
 */
import type { Command } from "commander";
import type { CommandContext } from "../support/command.ts";

type Register = (program: Command, ctx: CommandContext) => void;

export interface CommandEntry {
  readonly name: string;
  /** As the command's own module describes it (a test keeps the two the same). */
  readonly description: string;
  readonly load: () => Promise<Register>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "dev",
    description: "在本机启动完整流程(DynamoDB Local + S3 模拟器 + 真实处理函数),导入示例数据并提供查询接口",
    load: async () => (await import("./dev.ts")).registerDev,
  },
  {
    name: "template",
    description:
      "生成月报表模板:CSV(UTF-8带BOM,仅含表头)或Excel工作簿(按名册预填各单位代码、名称和报送期间,附填报说明)",
    load: async () => (await import("./template.ts")).registerTemplate,
  },
  {
    name: "validate",
    description: "审核一个月报表文件(CSV或Excel工作簿,不保存任何数据);全部通过时退出码为0,否则为1",
    load: async () => (await import("./validate.ts")).registerValidate,
  },
  {
    name: "sample",
    description: "生成内置样例数据集:虚构的清源市市直机关工委、6个片区及其市直单位若干个月的月报文件",
    load: async () => (await import("./sample.ts")).registerSample,
  },
  {
    name: "registry",
    description: "单位名册管理",
    load: async () => (await import("./registry.ts")).registerRegistry,
  },
  {
    name: "reconcile",
    description: "用已存的月报数据重新计算全部汇总,核对并(可选)修正偏差",
    load: async () => (await import("./reconcile.ts")).registerReconcile,
  },
  {
    name: "redrive",
    description: "重新处理“处理失败”的上传(默认全部;--upload 只处理一个)",
    load: async () => (await import("./redrive.ts")).registerRedrive,
  },
  {
    name: "bulletin",
    description: "机关党建工作简报:生成送审稿、查看、修改、签发、更正(不带子命令即 render)",
    load: async () => (await import("./bulletin.ts")).registerBulletin,
  },
  {
    name: "upload",
    description: "上传月报表(CSV或Excel工作簿):自动审核并汇总,显示审核意见;全部通过时退出码为0",
    load: async () => (await import("./upload.ts")).registerUpload,
  },
  {
    name: "uploads",
    description: "列出上传记录(--status failed 列出处理失败、待重新处理的上传)",
    load: async () => (await import("./uploads.ts")).registerUploads,
  },
  {
    name: "query",
    description: "查询汇总数据(含环比、同比),以表格显示,或导出 CSV",
    load: async () => (await import("./query.ts")).registerQuery,
  },
  {
    name: "keys",
    description: "管理接口密钥:create 新建、list 列出、revoke 吊销(直接读写数据库)",
    load: async () => (await import("./keys.ts")).registerKeys,
  },
  {
    name: "review",
    description: "逐级审核:片区审核单位月报,市级确认锁定某月",
    load: async () => (await import("./review.ts")).registerReview,
  },
  {
    name: "remind",
    description: "催报:列出并记录各片区尚未报送上月月报的单位(每个片区每天一次;通知打印到屏幕)",
    load: async () => (await import("./remind.ts")).registerRemind,
  },
];
